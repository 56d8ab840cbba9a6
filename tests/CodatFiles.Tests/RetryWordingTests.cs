using CodatFiles.Client;
using CodatFiles.Errors;

namespace CodatFiles.Tests;

/// <summary>Messages name the parameters a user can set, never the client's option names.</summary>
public sealed class RetryWordingTests
{
    private static readonly string[] InternalNames = { "MaxRetryAttempts", "MaxElapsedTime", "MaxUnreachableTime", "PerAttemptTimeout" };

    private static CodatConnectionException Failed(CodatGiveUp? giveUp, bool timedOut = false, bool budgetRanOut = false, TimeSpan? limit = null)
    {
        var exception = new CodatConnectionException("message", "list-files", 3, "the client's reason", giveUp?.ToString(),
            "http://127.0.0.1:9/", timedOut, budgetRanOut, null);
        SetInternal(exception, nameof(CodatException.GiveUp), giveUp);
        SetInternal(exception, nameof(CodatConnectionException.TimeLimit), limit);
        return exception;
    }

    // The client sets these as it throws; a test stands in for it through the property's internal setter.
    private static void SetInternal(object target, string property, object? value) =>
        target.GetType().GetProperty(property)!.SetValue(target, value);

    public static TheoryData<CodatGiveUpKind, TimeSpan?, string> Cases => new()
    {
        { CodatGiveUpKind.RetriesDisabled, null, "Retries are off (-MaximumRetryCount 0)." },
        { CodatGiveUpKind.RetryLimitReached, null, "Gave up after the 2 retries that -MaximumRetryCount allows." },
        { CodatGiveUpKind.TimeBudgetUsedUp, null, "Gave up: the call's time for retries (1 h) is used up." },
        { CodatGiveUpKind.NextWaitPastBudget, TimeSpan.FromSeconds(90), "Gave up: the next wait of 90 s would end past the call's time for retries (1 h; 3540 s used)." },
        { CodatGiveUpKind.ServerWaitPastBudget, TimeSpan.FromSeconds(86400), "Gave up at once: the server asks to wait 86400 s, more than the 60 s left of the call's time for retries (1 h)." },
        { CodatGiveUpKind.UnreachableTooLong, null, "Gave up: the server could not be reached for 1 min." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_give_up_is_worded_with_parameter_names(CodatGiveUpKind kind, TimeSpan? wait, string expected)
    {
        var policy = new CodatRetryOptions { MaxRetryAttempts = 2 };
        var giveUp = new CodatGiveUp(kind, policy, TimeSpan.FromSeconds(3540), wait);

        var text = RetryWording.GiveUp(Failed(giveUp));

        Assert.Equal(expected, text);
        Assert.All(InternalNames, name => Assert.DoesNotContain(name, text));
        Assert.Contains(InternalNames, name => giveUp.ToString().Contains(name)); // the client's own wording still names its options
    }

    [Fact]
    public void A_per_attempt_timeout_names_TimeoutSec_and_a_spent_budget_the_calls_time()
    {
        Assert.Equal("no answer within -TimeoutSec 0.8",
            RetryWording.TimeoutReason(Failed(null, timedOut: true, limit: TimeSpan.FromMilliseconds(800))));
        Assert.Equal("the call's time for retries (2 min) ran out during the attempt",
            RetryWording.TimeoutReason(Failed(null, timedOut: true, budgetRanOut: true, limit: TimeSpan.FromMinutes(2))));
        Assert.Equal("the client's reason", RetryWording.TimeoutReason(Failed(null)));
    }
}
