using CodatFiles.Pipeline;

namespace CodatFiles.Tests;

/// <summary>A worker posting list entries waits once it is its credit ahead of the pipeline thread.</summary>
public sealed class OutputCreditTests
{
    [Fact]
    public async Task Taking_past_the_capacity_waits_until_one_is_returned()
    {
        var credit = new OutputCredit(2);
        await credit.TakeAsync(CancellationToken.None);
        await credit.TakeAsync(CancellationToken.None);

        var third = credit.TakeAsync(CancellationToken.None);
        Assert.False(third.IsCompleted);

        credit.Return();
        await third; // completes only because one was returned
        Assert.True(third.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_waiting_take_ends_when_the_call_is_cancelled()
    {
        var credit = new OutputCredit(1);
        await credit.TakeAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();

        var waiting = credit.TakeAsync(stop.Token);
        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
