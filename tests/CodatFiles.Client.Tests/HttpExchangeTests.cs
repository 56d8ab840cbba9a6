using System.Collections.Concurrent;
using CodatFiles.Client;

namespace CodatFiles.Client.Tests;

/// <summary>CodatCallOptions.OnHttpExchange: one report per HTTP exchange, retries included, and never the key.</summary>
public sealed class HttpExchangeTests
{
    [Fact]
    public async Task Reports_every_attempt_with_method_url_status_attempt_and_rate_limit()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        // Durations are read on the client's clock: the real one here, so a real exchange takes more than zero.
        var client = emulator.CreateClient(EmulatorHarness.FastRetry(maxRetries: 2), time: TimeProvider.System);
        var exchanges = new ConcurrentQueue<CodatHttpExchange>();
        var call = new CodatCallOptions { OnHttpExchange = exchanges.Enqueue };
        await emulator.AddFaultAsync("list-files", "status", count: 1, status: 503, retryAfter: "0");

        await client.ListFilesAsync(EmulatorHarness.Company, call);

        var seen = exchanges.ToArray();
        Assert.Equal(2, seen.Length);
        Assert.Equal(new int?[] { 503, 200 }, seen.Select(e => e.StatusCode));
        Assert.Equal(new[] { 1, 2 }, seen.Select(e => e.Attempt));
        Assert.All(seen, e =>
        {
            Assert.Equal("GET", e.Method);
            Assert.Equal("list-files", e.Operation);
            Assert.Equal(new Uri(emulator.Server.BaseUrl, $"companies/{EmulatorHarness.Company}/files").ToString(), e.Url);
            Assert.True(e.Duration > TimeSpan.Zero);
            Assert.Null(e.Failure);
        });
        Assert.NotNull(seen[1].RateLimitRemaining);
        // The whole header set too, for callers that need the reset (Send-CodatFile's quota warning).
        Assert.Equal(seen[1].RateLimitRemaining, seen[1].RateLimit?.Remaining);
        Assert.NotNull(seen[1].RateLimit?.Limit);
        Assert.False(string.IsNullOrEmpty(seen[1].RateLimit?.Reset));
        Assert.Contains($"GET {seen[1].Url}: 200 in ", seen[1].ToString());
        Assert.Contains($"(attempt 2, X-Rate-Limit-Remaining {seen[1].RateLimitRemaining})", seen[1].ToString());
    }

    [Fact]
    public async Task Reports_an_exchange_without_response_and_keeps_the_key_out()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient(EmulatorHarness.FastRetry(maxRetries: 0));
        var exchanges = new ConcurrentQueue<CodatHttpExchange>();
        var call = new CodatCallOptions { OnHttpExchange = exchanges.Enqueue };
        await emulator.AddFaultAsync("upload-files", "reset-before-body", count: 1);

        await Assert.ThrowsAsync<CodatConnectionException>(() => client.UploadFilesAsync(
            EmulatorHarness.Company, EmulatorHarness.Connection, new[] { OperationTests.InMemory("a.pdf", 10) }, call));
        await client.UploadFilesAsync(EmulatorHarness.Company, EmulatorHarness.Connection, new[] { OperationTests.InMemory("b.pdf", 10) }, call);

        var seen = exchanges.ToArray();
        Assert.Equal(2, seen.Length);
        Assert.Null(seen[0].StatusCode);
        Assert.NotNull(seen[0].Failure);
        Assert.Contains("no response", seen[0].ToString());
        Assert.Equal(200, seen[1].StatusCode);
        Assert.All(seen, e => Assert.Equal("POST", e.Method));
        foreach (var text in seen.Select(e => e.ToString() + e.Failure))
        {
            Assert.DoesNotContain(EmulatorHarness.ApiKey, text);
            Assert.DoesNotContain(EmulatorHarness.ApiKeyBase64, text);
        }
    }

    [Fact]
    public async Task An_observer_that_throws_does_not_fail_the_call()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient(EmulatorHarness.FastRetry(maxRetries: 0));
        var call = new CodatCallOptions { OnHttpExchange = _ => throw new InvalidOperationException("observer bug") };

        var files = await client.ListFilesAsync(EmulatorHarness.Company, call);

        Assert.NotNull(files);
    }
}
