using CodatFiles.Client;
using CodatFiles.Pipeline;

namespace CodatFiles.Tests;

/// <summary>The long-wait rule: every retry is verbose; a wait over 10 s is also a warning saying why and for how long.</summary>
public sealed class RetryNoticeTests
{
    private static CodatRetryEvent Retry(double seconds, bool fromRetryAfter = true) =>
        new("list-files", 1, TimeSpan.FromSeconds(seconds), "HTTP 503 Service Unavailable: offline", 503, fromRetryAfter);

    [Fact]
    public void A_wait_over_ten_seconds_is_verbose_and_a_warning_with_the_same_text()
    {
        var notices = RetryNotice.For("Listing files of company X", Retry(11)).ToList();

        Assert.Equal(new[] { false, true }, notices.Select(n => n.IsWarning));
        Assert.All(notices, n => Assert.Equal(
            "Listing files of company X: attempt 1 failed (HTTP 503 Service Unavailable: offline); retrying in 11 s as the server's Retry-After asks.", n.Text));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(10)]
    public void A_wait_of_ten_seconds_or_less_is_only_verbose(double seconds)
    {
        var notice = Assert.Single(RetryNotice.For("ctx", Retry(seconds, fromRetryAfter: false)));

        Assert.False(notice.IsWarning);
        Assert.StartsWith("ctx: attempt 1 failed", notice.Text);
    }
}
