using System.Globalization;
using System.Net;
using CodatFiles.Emulator.Tests.Support;

namespace CodatFiles.Emulator.Tests;

public sealed class RateLimitTests
{
    private static string Header(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.GetValues(name));

    /// <summary>The next 00:00 UTC on the emulator's clock.</summary>
    private static DateTimeOffset NextMidnight(EmulatorTestHost host) =>
        new(host.Clock.GetUtcNow().UtcDateTime.Date.AddDays(1), TimeSpan.Zero);

    private static void AssertRateLimitHeaders(EmulatorTestHost host, HttpResponseMessage response, int limit, int remaining)
    {
        Assert.Equal(limit.ToString(CultureInfo.InvariantCulture), Header(response, "X-Rate-Limit-Limit"));
        Assert.Equal(remaining.ToString(CultureInfo.InvariantCulture), Header(response, "X-Rate-Limit-Remaining"));
        var nextMidnight = NextMidnight(host).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        Assert.Equal(nextMidnight, Header(response, "X-Rate-Limit-Reset"));
    }

    /// <summary>Whole seconds from the emulator's now until <paramref name="resetsAt"/>, rounded up: what Retry-After must say.</summary>
    private static int SecondsUntil(EmulatorTestHost host, DateTimeOffset resetsAt) =>
        (int)Math.Ceiling((resetsAt - host.Clock.GetUtcNow()).TotalSeconds);

    [Fact]
    public async Task Every_api_response_carries_the_headers_and_the_default_limit_follows_the_company_count()
    {
        await using var host = await EmulatorTestHost.StartAsync(); // one company: 1000 × (1 + 1)

        using var ok = await host.Client.GetAsync(TestIds.ListPath());
        AssertRateLimitHeaders(host, ok, 2000, 1999);

        using var notFound = await host.Client.GetAsync(TestIds.ListPath(TestIds.UnknownCompany));
        AssertRateLimitHeaders(host, notFound, 2000, 1998);

        using var unauthorized = await host.Anonymous.GetAsync(TestIds.ListPath());
        AssertRateLimitHeaders(host, unauthorized, 2000, 1998); // an unauthenticated call is not charged to the client

        using var upload = await host.UploadAsync(("file", "a.pdf", [1]));
        AssertRateLimitHeaders(host, upload, 2000, 1997);

        await host.ControlAsync(HttpMethod.Post, "companies", new { companyId = Guid.NewGuid() }, HttpStatusCode.Created);
        using var afterNewCompany = await host.Client.GetAsync(TestIds.DownloadPath());
        AssertRateLimitHeaders(host, afterNewCompany, 3000, 2996);
    }

    [Theory]
    [InlineData("DELETE", "companies/8a210b68-6988-11ed-a1eb-0242ac120002/files")] // 405 from the fallback
    [InlineData("GET", "no/such/path")]                                            // 404 from the fallback
    [InlineData("GET", "companies/8a210b68-6988-11ed-a1eb-0242ac120002/files/a.pdf")]
    public async Task Answers_given_outside_the_pipeline_carry_the_headers_without_being_charged(string method, string path)
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(4, (int)response.StatusCode / 100);
        AssertRateLimitHeaders(host, response, 2000, 2000);
    }

    [Fact]
    public async Task Control_endpoints_carry_no_rate_limit_headers()
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var response = await host.Anonymous.GetAsync("_emulator/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Rate-Limit-Limit"));
    }

    [Fact]
    public async Task Exhausted_daily_quota_gets_429_with_retry_after_until_midnight_utc()
    {
        await using var host = await EmulatorTestHost.StartAsync(o => o.DailyQuota = 2);

        using var first = await host.Client.GetAsync(TestIds.ListPath());
        using var second = await host.Client.GetAsync(TestIds.DownloadPath());
        using var third = await host.UploadAsync(("file", "a.pdf", [1]));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var body = await CodatErrorAssert.HasCodatErrorAsync(third, HttpStatusCode.TooManyRequests);
        Assert.Equal("True", body.GetProperty("canBeRetried").GetString());
        AssertRateLimitHeaders(host, third, 2, 0);
        Assert.Equal(Math.Max(1, SecondsUntil(host, NextMidnight(host))), int.Parse(Header(third, "Retry-After"), CultureInfo.InvariantCulture));
        Assert.Empty(StoredContentFiles(host)); // the refused upload stored nothing
    }

    [Fact]
    public async Task Reset_refills_the_quota()
    {
        await using var host = await EmulatorTestHost.StartAsync(o => o.DailyQuota = 1);
        (await host.Client.GetAsync(TestIds.ListPath())).Dispose();
        using var refused = await host.Client.GetAsync(TestIds.ListPath());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        await host.ControlAsync(HttpMethod.Post, "reset");

        using var accepted = await host.Client.GetAsync(TestIds.ListPath());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Quota_control_sets_what_is_left_and_when_it_resets()
    {
        await using var host = await EmulatorTestHost.StartAsync(); // limit 2000
        var resetsAt = NextMidnight(host).AddDays(1).AddHours(3);
        await host.ControlAsync(HttpMethod.Put, "quota", new { remaining = 2, resetsAt });

        using var first = await host.Client.GetAsync(TestIds.ListPath());
        await host.ControlAsync(HttpMethod.Post, "companies", new { companyId = Guid.NewGuid() }, HttpStatusCode.Created);
        using var second = await host.Client.GetAsync(TestIds.ListPath()); // a new company does not refill what was set
        using var third = await host.Client.GetAsync(TestIds.ListPath());

        var reset = resetsAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("1", Header(first, "X-Rate-Limit-Remaining"));
        Assert.Equal(reset, Header(first, "X-Rate-Limit-Reset"));
        Assert.Equal("2000", Header(first, "X-Rate-Limit-Limit"));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("0", Header(second, "X-Rate-Limit-Remaining"));
        await CodatErrorAssert.HasCodatErrorAsync(third, HttpStatusCode.TooManyRequests);
        Assert.Equal(SecondsUntil(host, resetsAt), int.Parse(Header(third, "Retry-After"), CultureInfo.InvariantCulture));

        await host.ControlAsync(HttpMethod.Post, "reset");
        using var afterReset = await host.Client.GetAsync(TestIds.ListPath());
        AssertRateLimitHeaders(host, afterReset, 3000, 2999);
    }

    [Fact]
    public async Task A_set_quota_is_full_again_once_the_clock_passes_its_reset()
    {
        await using var host = await EmulatorTestHost.StartAsync(); // limit 2000
        var resetsAt = host.Clock.GetUtcNow().AddMinutes(5);
        await host.ControlAsync(HttpMethod.Put, "quota", new { remaining = 0, resetsAt });

        using var refused = await host.Client.GetAsync(TestIds.ListPath());
        host.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));
        using var stillRefused = await host.Client.GetAsync(TestIds.ListPath());
        host.Clock.Advance(TimeSpan.FromMilliseconds(1));
        using var accepted = await host.Client.GetAsync(TestIds.ListPath());

        await CodatErrorAssert.HasCodatErrorAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal("300", Header(refused, "Retry-After"));
        await CodatErrorAssert.HasCodatErrorAsync(stillRefused, HttpStatusCode.TooManyRequests);
        Assert.Equal("1", Header(stillRefused, "Retry-After"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        AssertRateLimitHeaders(host, accepted, 2000, 1999);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"remaining\":-1}")]
    [InlineData("{\"remaining\":1,\"resetsAt\":\"2001-01-01T00:00:00Z\"}")]
    public async Task Quota_control_refuses_a_missing_or_negative_count_and_a_past_reset(string body)
    {
        await using var host = await EmulatorTestHost.StartAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await host.Control.PutAsync("_emulator/quota", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Eleventh_concurrent_request_for_a_company_gets_429_with_retry_after_1()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.AddFaultAsync(new { operation = "list-files", count = 10, kind = "delay", delayMs = 1500 });

        var held = Enumerable.Range(0, 10).Select(_ => host.Client.GetAsync(TestIds.ListPath())).ToArray();
        for (var i = 0; i < 10; i++)
        {
            await host.Clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(1500)); // each holds a slot while it waits
        }
        using var eleventh = await host.AnsweredAtOnceAsync(host.Client.GetAsync(TestIds.ListPath()));
        using var otherCompanyDoesNotShare = await host.AnsweredAtOnceAsync(host.Client.GetAsync(TestIds.ListPath(TestIds.UnknownCompany)));
        Assert.All(held, h => Assert.False(h.IsCompleted));
        host.Clock.Advance(TimeSpan.FromMilliseconds(1500));
        var responses = await Task.WhenAll(held).WaitAsync(EmulatorTestClock.RealPatience);

        await CodatErrorAssert.HasCodatErrorAsync(eleventh, HttpStatusCode.TooManyRequests);
        Assert.Equal("1", Header(eleventh, "Retry-After"));
        Assert.Equal(HttpStatusCode.NotFound, otherCompanyDoesNotShare.StatusCode);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        using var afterwards = await host.Client.GetAsync(TestIds.ListPath());
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode); // slots are given back
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Concurrency_limit_is_configurable()
    {
        await using var host = await EmulatorTestHost.StartAsync(o => o.MaxConcurrentRequestsPerCompany = 1);
        await host.AddFaultAsync(new { count = 1, kind = "delay", delayMs = 1000 });

        var held = host.Client.GetAsync(TestIds.ListPath());
        await host.Clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(1000)); // holds the one slot until the clock moves
        using var second = await host.AnsweredAtOnceAsync(host.Client.GetAsync(TestIds.DownloadPath()));

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        host.Clock.Advance(TimeSpan.FromMilliseconds(1000));
        using var first = await held.WaitAsync(EmulatorTestClock.RealPatience);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
    }

    [Fact]
    public async Task Requests_with_bad_credentials_hold_no_concurrency_slot_even_when_delayed()
    {
        await using var host = await EmulatorTestHost.StartAsync(o => o.MaxConcurrentRequestsPerCompany = 1);
        await host.AddFaultAsync(new { count = 1, kind = "delay", delayMs = 1000 });

        var unauthorized = host.Anonymous.GetAsync(TestIds.ListPath()); // takes the delay fault
        await host.Clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(1000));
        // Served while the 401 is still held: the single slot was free.
        using var authorized = await host.AnsweredAtOnceAsync(host.Client.GetAsync(TestIds.ListPath()));
        await host.AssertHeldAsync(unauthorized, logIndex: 0);
        host.Clock.Advance(TimeSpan.FromMilliseconds(999));
        await host.AssertHeldAsync(unauthorized, logIndex: 0); // and the 401 still waits out its whole delay
        host.Clock.Advance(TimeSpan.FromMilliseconds(1));
        using var refused = await unauthorized.WaitAsync(EmulatorTestClock.RealPatience);

        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
        await CodatErrorAssert.HasCodatErrorAsync(refused, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_full_company_answers_bad_credentials_with_401_not_429()
    {
        await using var host = await EmulatorTestHost.StartAsync(o => o.MaxConcurrentRequestsPerCompany = 1);
        await host.AddFaultAsync(new { count = 1, kind = "delay", delayMs = 1000 });
        var held = host.Client.GetAsync(TestIds.ListPath());
        await host.Clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(1000));

        using var unauthorized = await host.AnsweredAtOnceAsync(host.Anonymous.GetAsync(TestIds.ListPath()));

        await CodatErrorAssert.HasCodatErrorAsync(unauthorized, HttpStatusCode.Unauthorized);
        host.Clock.Advance(TimeSpan.FromMilliseconds(1000));
        using var first = await held.WaitAsync(EmulatorTestClock.RealPatience);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
    }

    // Looks at the disk, because listing through the API would itself need quota.
    private static string[] StoredContentFiles(EmulatorTestHost host) =>
        Directory.EnumerateFiles(Path.Combine(host.Server.DataDirectory, "files"), "*", SearchOption.AllDirectories).ToArray();
}
