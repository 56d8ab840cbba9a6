using CodatFiles.Client;

namespace CodatFiles.Client.Tests;

/// <summary>Each documented error status becomes a CodatApiException a person can act on.</summary>
public sealed class ErrorTests
{
    private static readonly Guid Company = EmulatorHarness.Company;
    private static readonly Guid Connection = EmulatorHarness.Connection;

    [Fact]
    public async Task Wrong_key_is_401_Unauthorized_with_advice_about_the_key()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient(apiKey: "wrong-key-SECRET-0000");

        var error = await Assert.ThrowsAsync<CodatApiException>(() => client.ListFilesAsync(Company));

        Assert.Equal(401, error.StatusCode);
        Assert.Equal(CodatErrorKind.Unauthorized, error.Kind);
        Assert.Equal("list-files", error.Operation);
        Assert.Equal(1, error.Attempts);
        Assert.Equal("Unauthorized", error.Error?.Error);
        Assert.Equal(401, error.Error?.StatusCode);
        Assert.False(string.IsNullOrEmpty(error.CorrelationId));
        Assert.Contains(error.CorrelationId!, error.Message);
        Assert.Contains("API key", error.Message);
        Assert.Contains(Company.ToString(), error.Message);
        Assert.NotNull(error.RateLimit?.Limit);
        Assert.DoesNotContain("wrong-key-SECRET-0000", error.ToString());
    }

    [Fact]
    public async Task Unknown_company_is_404_with_advice_about_the_company_id()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();
        var unknown = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<CodatApiException>(() => client.ListFilesAsync(unknown));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal(CodatErrorKind.NotFound, error.Kind);
        Assert.Equal("ClientsApi", error.Error?.Service);
        Assert.Contains($"No company was found with ID {unknown}", error.Message);
        Assert.Contains("Check the company id", error.Message);
        Assert.Contains(error.CorrelationId!, error.Message);
    }

    [Fact]
    public async Task Unknown_connection_is_404_with_advice_about_the_connection_id()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();
        var unknown = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<CodatApiException>(() =>
            client.UploadFilesAsync(Company, unknown, new[] { OperationTests.InMemory("a.pdf", 10) }));

        Assert.Equal(CodatErrorKind.NotFound, error.Kind);
        Assert.Equal("upload-files", error.Operation);
        Assert.Contains($"connection {unknown}", error.Message);
        Assert.Contains("Check the connection id", error.Message);
    }

    [Fact]
    public async Task Exceptions_carry_the_facts_their_message_is_built_from()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();

        var company = await Assert.ThrowsAsync<CodatApiException>(() => client.ListFilesAsync(Guid.NewGuid()));
        var connection = await Assert.ThrowsAsync<CodatApiException>(() =>
            client.UploadFilesAsync(Company, Guid.NewGuid(), new[] { OperationTests.InMemory("a.pdf", 10) }));
        using var refusedClient = new CodatFilesClient(new CodatClientOptions
        {
            ApiKey = "k", ServerUrl = new Uri("http://127.0.0.1:9"), Retry = EmulatorHarness.FastRetry(maxRetries: 2),
        });
        var refused = await Assert.ThrowsAsync<CodatConnectionException>(() => refusedClient.ListFilesAsync(Company));

        Assert.Equal(CodatNotFoundSubject.Company, company.NotFound);
        Assert.StartsWith("No company was found with ID", company.CodatMessage);
        Assert.StartsWith("HTTP 404 Not Found: No company was found", company.Reason);
        Assert.Null(company.GiveUpReason); // a 404 is never retried, so nothing was given up
        Assert.Equal(CodatNotFoundSubject.Connection, connection.NotFound);
        Assert.Equal((3, "http://127.0.0.1:9/", false), (refused.Attempts, refused.Server, refused.TimedOut));
        Assert.True(refused.Unreachable, "a refused connection means the server cannot be reached at all");
        Assert.StartsWith("connection refused", refused.Reason);
        Assert.DoesNotContain("refused: Connection refused", refused.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("gave up after MaxRetryAttempts (2) retries", refused.GiveUpReason);
    }

    [Fact]
    public async Task A_refused_connection_stops_retrying_after_max_unreachable_time()
    {
        var retry = new CodatRetryOptions { InitialInterval = TimeSpan.FromMilliseconds(100), UseJitter = false, MaxUnreachableTime = TimeSpan.FromSeconds(1.5) };
        var clock = new TestClock(passShortWaits: true); // the waits pass at once, and count against MaxUnreachableTime
        using var client = new CodatFilesClient(new CodatClientOptions { ApiKey = "k", ServerUrl = new Uri("http://127.0.0.1:9"), Retry = retry, TimeProvider = clock });

        var error = await Assert.ThrowsAsync<CodatConnectionException>(() => TestClock.Bounded(client.ListFilesAsync(Company)));

        // Waits of 100, 150, 225, 337 and 505 ms passed (×1.5 each, whole ms); the next, 759 ms, would end past 1.5 s.
        Assert.Equal(6, error.Attempts);
        Assert.True(error.Attempts > 2, $"only {error.Attempts} attempts");
        Assert.Equal("gave up because the server could not be reached for MaxUnreachableTime (1.5 s)", error.GiveUpReason);
    }

    [Fact]
    public async Task Disallowed_file_type_is_400_with_validation_items_in_error_and_message()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();

        var error = await Assert.ThrowsAsync<CodatApiException>(() =>
            client.UploadFilesAsync(Company, Connection, new[] { OperationTests.InMemory("notes.txt", 10) }));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal(CodatErrorKind.BadRequest, error.Kind);
        var item = Assert.Single(error.Error!.Validation!.Errors!);
        Assert.Equal("FileType", item.ValidatorName);
        Assert.Contains("notes.txt", item.Message);
        Assert.Contains(item.Message!, error.Message);
        Assert.Single(await emulator.GetRequestsAsync()); // 400 is never retried
    }

    [Theory]
    [InlineData(402, CodatErrorKind.PaymentRequired, "plan limit")]
    [InlineData(403, CodatErrorKind.Forbidden, "outdated")]
    [InlineData(500, CodatErrorKind.ServerError, "server problem")]
    [InlineData(503, CodatErrorKind.ServiceUnavailable, "temporarily unavailable")]
    [InlineData(429, CodatErrorKind.TooManyRequests, "rate limiting")]
    [InlineData(408, CodatErrorKind.RequestTimeout, "gave up waiting")]
    public async Task Injected_status_maps_to_kind_error_body_and_advice(int status, CodatErrorKind kind, string advice)
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient(EmulatorHarness.FastRetry(maxRetries: 0));
        await emulator.AddFaultAsync("download-files", "status", status: status);

        using var destination = new MemoryStream();
        var error = await Assert.ThrowsAsync<CodatApiException>(() => client.DownloadFilesAsync(Company, null, destination));

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, error.Error?.StatusCode);
        Assert.Equal("PublicApi", error.Error?.Service);
        Assert.False(string.IsNullOrWhiteSpace(error.Error?.Error));
        Assert.Contains(error.Error!.Error!, error.Message);
        Assert.Matches("^[0-9a-f]{32}$", error.CorrelationId);
        Assert.Contains(advice, error.Message);
        Assert.Contains($"HTTP {status}", error.Message);
        Assert.Equal(0, destination.Length); // an error body is never written to the destination
    }

    [Fact]
    public async Task Rate_limited_answer_says_when_to_come_back()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient(EmulatorHarness.FastRetry(maxRetries: 0));
        await emulator.AddFaultAsync("list-files", "status", status: 429, retryAfter: "120");

        var error = await Assert.ThrowsAsync<CodatApiException>(() => client.ListFilesAsync(Company));

        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Contains("wait until", error.Message);
        Assert.Contains("Retry-After 120 s", error.Message);
        Assert.NotNull(error.RateLimit?.Remaining);
    }

    [Fact]
    public async Task Exhausted_daily_quota_is_429_with_rate_limit_headers()
    {
        await using var emulator = await EmulatorHarness.StartAsync(o => o.DailyQuota = 1);
        var client = emulator.CreateClient(EmulatorHarness.FastRetry(maxRetries: 0));
        await client.ListFilesAsync(Company);

        var error = await Assert.ThrowsAsync<CodatApiException>(() => client.ListFilesAsync(Company));

        Assert.Equal(CodatErrorKind.TooManyRequests, error.Kind);
        Assert.Equal(1, error.RateLimit?.Limit);
        Assert.Equal(0, error.RateLimit?.Remaining);
        Assert.NotNull(error.RetryAfter);
        Assert.Contains("resets at " + error.RateLimit!.Reset, error.Message);
    }
}
