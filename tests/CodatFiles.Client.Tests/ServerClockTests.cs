using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using CodatFiles.Client.Internal;

namespace CodatFiles.Client.Tests;

/// <summary>The estimate of Codat's clock from Date headers: its range, how answers narrow it, and which answers count.</summary>
public sealed class ServerClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Nothing_is_known_before_an_answer_and_one_answer_bounds_the_offset_by_a_second_and_the_round_trip()
    {
        var clock = new ServerClock(TimeProvider.System);
        Assert.Null(clock.LatestServerTimeAt(T0));

        // Server 10 min ahead: it wrote Date 12:10:00 while our clock read 12:00:00.300 to 12:00:00.400.
        clock.Observe(T0.AddMinutes(10), T0.AddMilliseconds(300), T0.AddMilliseconds(400));

        // Latest server time at our 12:00:00.300 is 12:10:00 + 1 s (Date truncates) - 0 = 12:10:01.
        Assert.Equal(T0.AddMinutes(10).AddSeconds(1), clock.LatestServerTimeAt(T0.AddMilliseconds(300)));
    }

    [Fact]
    public void Answers_at_other_sub_second_phases_narrow_the_range()
    {
        var clock = new ServerClock(TimeProvider.System);
        var behind = TimeSpan.FromMinutes(-2.5); // the true offset
        // Each answer written at once (no latency): Date is the server's time truncated to the second.
        foreach (var ms in new[] { 100, 1900, 2700, 3450 })
        {
            var at = T0.AddMilliseconds(ms);
            clock.Observe(Truncate(at + behind), at, at);
        }

        var latest = clock.LatestServerTimeAt(T0)!.Value;
        // From a one-second range down to the gap between the phases seen (0.45 s here), never below the truth.
        Assert.InRange(latest - (T0 + behind), TimeSpan.Zero, TimeSpan.FromMilliseconds(450));
    }

    [Fact]
    public void An_answer_that_contradicts_the_range_replaces_it_as_when_the_server_clock_was_set()
    {
        var clock = new ServerClock(TimeProvider.System);
        clock.Observe(T0, T0, T0);
        clock.Observe(T0.AddMinutes(10), T0.AddSeconds(5), T0.AddSeconds(5));

        Assert.Equal(T0.AddMinutes(10).AddSeconds(1), clock.LatestServerTimeAt(T0.AddSeconds(5)));
    }

    [Theory]
    [InlineData(200, "application/json", false, true)]
    [InlineData(500, "application/json; charset=utf-8", false, true)]
    [InlineData(200, null, true, true)] // an empty upload success with X-Rate-Limit-*
    [InlineData(200, null, false, false)] // empty and no rate-limit headers: not known to be Codat
    [InlineData(502, "text/html", true, false)] // a gateway's page
    [InlineData(407, "application/json", true, false)] // a proxy asking for credentials
    public void Only_codat_shaped_answers_move_the_estimate(int status, string? contentType, bool rateLimitHeaders, bool counts)
    {
        var clock = new ServerClock(TimeProvider.System);
        using var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new ByteArrayContent([]) };
        if (contentType != null) response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (rateLimitHeaders) response.Headers.Add("X-Rate-Limit-Remaining", "99");
        response.Headers.Date = T0.AddHours(1);

        clock.Observe(response, T0, T0);

        Assert.Equal(counts, clock.LatestServerTimeAt(T0) != null);
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
