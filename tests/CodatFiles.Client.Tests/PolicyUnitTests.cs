using CodatFiles.Client;
using CodatFiles.Client.Internal;

namespace CodatFiles.Client.Tests;

/// <summary>The pure pieces of the policy (delays, Retry-After, URLs, error bodies) checked without a server.</summary>
public sealed class PolicyUnitTests
{
    private static CodatRetryOptions Options(bool jitter = false) => new()
    {
        InitialInterval = TimeSpan.FromMilliseconds(500),
        Exponent = 1.5,
        MaxInterval = TimeSpan.FromSeconds(2),
        MaxElapsedTime = TimeSpan.FromSeconds(60),
        MaxRetryAttempts = 10,
        UseJitter = jitter,
    };

    [Fact]
    public void Backoff_grows_by_the_exponent_and_stops_at_max_interval()
    {
        var delays = Enumerable.Range(0, 6).Select(n => BackoffDelay.Compute(Options(), n).TotalMilliseconds).ToArray();

        Assert.Equal(new[] { 500.0, 750, 1125, 1687, 2000, 2000 }, delays); // whole milliseconds, as timers run
        Assert.Equal(TimeSpan.FromSeconds(2), BackoffDelay.Compute(Options(), 5000)); // Exponent^5000 is +Infinity, still capped
    }

    [Fact]
    public void Jitter_spreads_by_a_quarter_but_never_passes_max_interval()
    {
        Assert.Equal(375, BackoffDelay.Compute(Options(jitter: true), 0, () => 0.0).TotalMilliseconds);
        Assert.Equal(625, BackoffDelay.Compute(Options(jitter: true), 0, () => 1.0).TotalMilliseconds);
        Assert.Equal(2000, BackoffDelay.Compute(Options(jitter: true), 3, () => 1.0).TotalMilliseconds);
    }

    [Fact]
    public void Retry_decision_prefers_retry_after_and_respects_the_budgets()
    {
        var options = Options();

        var fromServer = RetryDecision.Decide(options, 0, TimeSpan.Zero, transient: true, retryAfter: TimeSpan.FromSeconds(1), blockedReason: null);
        Assert.True(fromServer.Retry);
        Assert.True(fromServer.DelayFromRetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(1), fromServer.Delay);

        // MaxInterval (2 s) caps only the computed backoff; a longer Retry-After that fits the budget is waited exactly.
        var longServerWait = RetryDecision.Decide(options, 0, TimeSpan.Zero, true, TimeSpan.FromSeconds(30), null);
        Assert.Equal((true, TimeSpan.FromSeconds(30), true), (longServerWait.Retry, longServerWait.Delay, longServerWait.DelayFromRetryAfter));
        var pastBudget = RetryDecision.Decide(options, 0, TimeSpan.FromSeconds(20), true, TimeSpan.FromSeconds(86400), null);
        Assert.False(pastBudget.Retry);
        Assert.Equal("gave up at once: the server asks to wait 86400 s, beyond the remaining retry budget of 40 s (MaxElapsedTime 60 s)", pastBudget.GiveUpReason);
        Assert.False(RetryDecision.Decide(options, 0, TimeSpan.Zero, transient: false, null, null).Retry);
        Assert.Contains("MaxRetryAttempts", RetryDecision.Decide(options, 10, TimeSpan.Zero, true, null, null).GiveUpReason);
        var overBudget = RetryDecision.Decide(options, 1, TimeSpan.FromSeconds(59.5), true, null, null);
        Assert.False(overBudget.Retry);
        Assert.Contains("MaxElapsedTime", overBudget.GiveUpReason);
        Assert.Equal("blocked", RetryDecision.Decide(options, 0, TimeSpan.Zero, true, null, "blocked").GiveUpReason);
    }

    [Fact]
    public void By_default_attempts_are_unbounded_and_the_one_hour_budget_ends_the_retrying()
    {
        var options = new CodatRetryOptions { UseJitter = false };
        Assert.Equal(int.MaxValue, options.MaxRetryAttempts);

        // Attempts that fail at once: only the waits spend the budget.
        var elapsed = TimeSpan.Zero;
        var retries = 0;
        RetryDecision decision;
        while ((decision = RetryDecision.Decide(options, retries, elapsed, true, null, null)).Retry)
        {
            elapsed += decision.Delay;
            retries++;
        }

        Assert.Contains("MaxElapsedTime", decision.GiveUpReason);
        Assert.InRange(elapsed, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.True(retries > 60, $"only {retries} retries"); // 60 s waits fill the hour, far past the old limit of 10
    }

    [Fact]
    public void By_default_a_server_that_cannot_be_reached_is_given_up_within_a_minute()
    {
        var options = new CodatRetryOptions { UseJitter = false };
        var elapsed = TimeSpan.Zero;
        var retries = 0;
        RetryDecision decision;
        while ((decision = RetryDecision.Decide(options, retries, elapsed, true, null, null, unreachable: true)).Retry)
        {
            elapsed += decision.Delay;
            retries++;
        }

        Assert.InRange(elapsed, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
        Assert.Equal("gave up because the server could not be reached for MaxUnreachableTime (60 s)", decision.GiveUpReason);
        // An answer such as a 503 keeps the hour.
        Assert.True(RetryDecision.Decide(options, retries, elapsed, true, null, null).Retry);
    }

    [Fact]
    public void A_wait_longer_than_a_timer_can_run_is_refused_rather_than_thrown_by_the_timer()
    {
        var options = new CodatRetryOptions { MaxElapsedTime = TimeSpan.FromDays(365) };

        var decision = RetryDecision.Decide(options, 0, TimeSpan.Zero, true, TimeSpan.FromDays(30), null);

        Assert.False(decision.Retry);
        Assert.Contains("the server asks to wait 2592000 s", decision.GiveUpReason);
    }

    [Theory]
    [InlineData("2", 2)]
    [InlineData(" 120 ", 120)]
    [InlineData("Tue, 05 Mar 2024 10:00:30 GMT", 30)]
    [InlineData("Tue, 05 Mar 2024 09:00:00 GMT", 0)]
    [InlineData("2024-03-05T10:01:00Z", 60)]
    [InlineData("2024-03-05T11:00:00+01:00", 0)]
    [InlineData("99999999999", 31536000)]
    public void Retry_after_reads_seconds_and_http_dates(string raw, int expectedSeconds)
    {
        var now = new DateTimeOffset(2024, 3, 5, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryAfterParser.Parse(raw, now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    public void Retry_after_that_cannot_be_read_is_ignored(string? raw)
    {
        Assert.Null(RetryAfterParser.Parse(raw, DateTimeOffset.UtcNow));
    }

    [Theory]
    [InlineData("https://api.codat.io", "https://api.codat.io/companies/8a210b68-6988-11ed-a1eb-0242ac120002/files")]
    [InlineData("https://gw.example.com/codat", "https://gw.example.com/codat/companies/8a210b68-6988-11ed-a1eb-0242ac120002/files")]
    [InlineData("https://gw.example.com/codat/", "https://gw.example.com/codat/companies/8a210b68-6988-11ed-a1eb-0242ac120002/files")]
    [InlineData("http://127.0.0.1:5000/a/b?x=1", "http://127.0.0.1:5000/a/b/companies/8a210b68-6988-11ed-a1eb-0242ac120002/files")]
    public void Urls_are_built_below_the_server_url_including_a_path_prefix(string server, string expected)
    {
        var uris = new CodatRequestUris(new Uri(server));
        Assert.Equal(expected, uris.ListFiles(EmulatorHarness.Company).AbsoluteUri);
    }

    [Fact]
    public void Upload_and_download_urls_follow_the_spec()
    {
        var uris = new CodatRequestUris(new Uri("https://gw.example.com/codat"));
        Assert.Equal($"https://gw.example.com/codat/companies/{EmulatorHarness.Company}/connections/{EmulatorHarness.Connection}/files",
            uris.UploadFiles(EmulatorHarness.Company, EmulatorHarness.Connection).AbsoluteUri);
        Assert.Equal($"https://gw.example.com/codat/companies/{EmulatorHarness.Company}/files/download?date=2022-10-23",
            uris.DownloadFiles(EmulatorHarness.Company, new DateTime(2022, 10, 23, 23, 59, 0, DateTimeKind.Utc)).AbsoluteUri);
        Assert.Equal("https://gw.example.com/codat/", uris.DisplayBase);
    }

    [Fact]
    public void Display_base_hides_user_info()
    {
        Assert.Equal("https://host/", new CodatRequestUris(new Uri("https://user:pass@host/")).DisplayBase);
    }

    [Theory]
    [InlineData("ftp://host/")]
    [InlineData("/relative")]
    public void Client_refuses_a_server_url_that_is_not_absolute_http(string url)
    {
        var options = new CodatClientOptions { ApiKey = "k", ServerUrl = new Uri(url, UriKind.RelativeOrAbsolute) };
        Assert.Throws<ArgumentException>(() => new CodatFilesClient(options));
    }

    [Theory]
    [InlineData("http://codat.example.com", false)]
    [InlineData("http://10.0.0.5:8080/", false)]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://127.8.9.10/", true)]
    [InlineData("http://[::1]:5000/", true)]
    [InlineData("http://LocalHost:5000/", true)]
    [InlineData("https://codat.example.com", true)]
    public void Plain_http_is_allowed_only_to_loopback_hosts(string url, bool allowed)
    {
        var problem = CodatClientOptions.ServerUrlProblem(new Uri(url));
        Assert.Equal(allowed, problem is null);
        if (!allowed)
        {
            Assert.Contains("use https", problem);
            var error = Assert.Throws<ArgumentException>(() => new CodatFilesClient(new CodatClientOptions { ApiKey = "k", ServerUrl = new Uri(url) }));
            Assert.Contains("use https", error.Message);
        }
    }

    [Fact]
    public void Client_refuses_an_empty_key()
    {
        Assert.Throws<ArgumentException>(() => new CodatFilesClient(new CodatClientOptions { ApiKey = "" }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("<html><body>Bad gateway</body></html>")]
    [InlineData("{not json")]
    public void Error_bodies_that_are_not_codat_json_are_tolerated(string body)
    {
        Assert.Null(ResponseErrorReader.TryParseError(body));
    }

    [Fact]
    public void Codat_error_body_is_read_with_every_field()
    {
        var error = ResponseErrorReader.TryParseError(
            """{"statusCode":402,"service":"PublicApi","error":"Payment Required","correlationId":"abc","canBeRetried":"Unknown","detailedErrorCode":7,"validation":{"errors":[{"itemId":"i","message":"Account expired.","validatorName":"v"}],"warnings":[]}}""");

        Assert.NotNull(error);
        Assert.Equal(402, error.StatusCode);
        Assert.Equal("PublicApi", error.Service);
        Assert.Equal("Payment Required", error.Error);
        Assert.Equal("abc", error.CorrelationId);
        Assert.Equal("Unknown", error.CanBeRetried);
        Assert.Equal(7, error.DetailedErrorCode);
        var item = Assert.Single(error.Validation!.Errors!);
        Assert.Equal(("i", "Account expired.", "v"), (item.ItemId, item.Message, item.ValidatorName));
        Assert.Empty(error.Validation.Warnings!);
    }

    [Fact]
    public void Validation_messages_not_already_in_the_error_text_are_quoted_in_the_message()
    {
        var mapper = new ErrorMapper(new SecretRedactor("k"), "https://api.codat.io/");
        var failure = new HttpFailure(402, "Payment Required",
            ResponseErrorReader.TryParseError("""{"error":"Payment Required","correlationId":"c1","validation":{"errors":[{"message":"Account expired."}],"warnings":[{"message":"Plan ends soon"}]}}"""),
            null, null, null, DateTimeOffset.UtcNow);

        var exception = mapper.ToApiException(new CodatOperation("list-files", EmulatorHarness.Company), failure, 1, null);

        Assert.Contains("Validation errors: Account expired.", exception.Message);
        Assert.Contains("Validation warnings: Plan ends soon.", exception.Message);
        Assert.Contains("Correlation id: c1.", exception.Message);
        Assert.Equal(CodatErrorKind.PaymentRequired, exception.Kind);
    }

    [Fact]
    public void A_non_json_error_body_is_quoted_shortened_on_one_line()
    {
        var mapper = new ErrorMapper(new SecretRedactor("k"), "https://api.codat.io/");
        var failure = new HttpFailure(502, "Bad Gateway", null, "<html> upstream down </html>", null, null, DateTimeOffset.UtcNow);

        var exception = mapper.ToApiException(new CodatOperation("list-files", EmulatorHarness.Company), failure, 1, null);

        Assert.Equal(CodatErrorKind.ServerError, exception.Kind);
        Assert.Contains("HTTP 502 Bad Gateway: <html> upstream down </html>", exception.Message);
        Assert.Null(exception.Error);
    }

    [Theory]
    [InlineData(400, CodatErrorKind.BadRequest)]
    [InlineData(408, CodatErrorKind.RequestTimeout)]
    [InlineData(409, CodatErrorKind.Other)]
    [InlineData(502, CodatErrorKind.ServerError)]
    [InlineData(503, CodatErrorKind.ServiceUnavailable)]
    public void Status_maps_to_kind(int status, CodatErrorKind kind)
    {
        Assert.Equal(kind, ErrorMapper.KindOf(status));
    }
}
