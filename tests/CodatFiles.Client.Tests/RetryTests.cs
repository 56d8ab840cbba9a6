using System.Collections.Concurrent;
using CodatFiles.Client;

namespace CodatFiles.Client.Tests;

/// <summary>
/// Retries counted through the emulator's request log. Waits, timeouts and budgets run on a <see cref="TestClock"/>:
/// a test sees each timer the client starts and moves time past it, so nothing here waits on the real clock.
/// </summary>
public sealed class RetryTests
{
    private static readonly Guid Company = EmulatorHarness.Company;
    private static readonly Guid Connection = EmulatorHarness.Connection;

    [Fact]
    public async Task Retry_after_in_seconds_is_waited_exactly_then_the_call_succeeds()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var clock = new TestClock();
        var client = emulator.CreateClient(time: clock);
        await emulator.AddFaultAsync("list-files", "status", status: 503, retryAfter: "1");
        var events = new ConcurrentQueue<CodatRetryEvent>();

        var call = client.ListFilesAsync(Company, new CodatCallOptions { OnRetry = events.Enqueue });
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        Assert.Single(await emulator.GetRequestsAsync()); // waiting: no second attempt before the second has passed
        clock.Advance(TimeSpan.FromSeconds(1));
        var files = await TestClock.Bounded(call);

        Assert.Empty(files);
        Assert.Equal(new[] { 503, 200 }, (await emulator.GetRequestsAsync()).Select(r => r.Status));
        var retry = Assert.Single(events);
        Assert.Equal("list-files", retry.Operation);
        Assert.Equal(1, retry.FailedAttempt);
        Assert.Equal(TimeSpan.FromSeconds(1), retry.Delay);
        Assert.True(retry.DelayFromRetryAfter);
        Assert.Equal(503, retry.StatusCode);
        Assert.StartsWith("HTTP 503 Service Unavailable: The Codat API is temporarily offline", retry.Reason);
        Assert.Contains("Retry-After", retry.ToString());
    }

    [Fact]
    public async Task Retry_after_as_http_date_is_honoured()
    {
        // The emulator stamps its Date header from the test's clock too: a Retry-After date taken from the real clock
        // was in the past by the time a slow machine answered (no wait at all; seen under build.ps1's low priority).
        var clock = new TestClock();
        await using var emulator = await EmulatorHarness.StartAsync(o => o.TimeProvider = clock);
        var client = emulator.CreateClient(time: clock);
        var retryAt = clock.GetUtcNow().AddSeconds(2);
        await emulator.AddFaultAsync("list-files", "status", status: 429, retryAfter: retryAt.ToString("r"));
        var events = new ConcurrentQueue<CodatRetryEvent>();
        var retrying = new TaskCompletionSource<CodatRetryEvent>(TaskCreationOptions.RunContinuationsAsynchronously);

        var call = client.ListFilesAsync(Company, new CodatCallOptions { OnRetry = e => { events.Enqueue(e); retrying.TrySetResult(e); } });
        await clock.PassAsync((await retrying.Task.WaitAsync(TimeSpan.FromSeconds(20))).Delay);
        await TestClock.Bounded(call);

        var retry = Assert.Single(events);
        Assert.True(retry.DelayFromRetryAfter);
        Assert.Equal(429, retry.StatusCode);
        // HTTP-dates have whole seconds; measured against the response's Date header the wait is 1-3 s.
        Assert.InRange(retry.Delay, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        Assert.Equal(2, (await emulator.GetRequestsAsync()).Count);
    }

    [Fact]
    public async Task Retry_after_longer_than_max_interval_is_waited_exactly()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var retry = EmulatorHarness.FastRetry();
        retry.MaxInterval = TimeSpan.FromMilliseconds(200); // caps our own backoff only
        var clock = new TestClock();
        var client = emulator.CreateClient(retry, time: clock);
        await emulator.AddFaultAsync("list-files", "status", status: 503, retryAfter: "2");
        var events = new ConcurrentQueue<CodatRetryEvent>();

        var call = client.ListFilesAsync(Company, new CodatCallOptions { OnRetry = events.Enqueue });
        await clock.PassAsync(TimeSpan.FromSeconds(2)); // no 200 ms timer came first: PassAsync would have skipped it and left it unfired
        await TestClock.Bounded(call);

        var retried = Assert.Single(events);
        Assert.Equal(TimeSpan.FromSeconds(2), retried.Delay);
        Assert.True(retried.DelayFromRetryAfter);
        Assert.EndsWith("retrying in 2 s as the server's Retry-After asks.", retried.ToString());
        Assert.Equal(2, (await emulator.GetRequestsAsync()).Count);
    }

    [Fact]
    public async Task A_retry_after_beyond_the_remaining_budget_gives_up_at_once_saying_why()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var clock = new TestClock(); // moved by nobody: a call that waited would never end
        var client = emulator.CreateClient(EmulatorHarness.FastRetry(), time: clock); // MaxElapsedTime 30 s
        await emulator.AddFaultAsync("list-files", "status", count: 5, status: 429, retryAfter: "86400");
        var events = new ConcurrentQueue<CodatRetryEvent>();

        var error = await Assert.ThrowsAsync<CodatApiException>(() =>
            TestClock.Bounded(client.ListFilesAsync(Company, new CodatCallOptions { OnRetry = events.Enqueue })));

        Assert.DoesNotContain(TimeSpan.FromSeconds(86400), clock.PendingTimers());
        Assert.Equal((1, 429), (error.Attempts, error.StatusCode));
        Assert.Equal(TimeSpan.FromSeconds(86400), error.RetryAfter);
        Assert.Contains("gave up at once: the server asks to wait 86400 s, beyond the remaining retry budget of 30 s (MaxElapsedTime 30 s)", error.Message);
        Assert.Empty(events);
        Assert.Single(await emulator.GetRequestsAsync());
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(402)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task Client_errors_other_than_408_and_429_are_never_retried(int status)
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();
        await emulator.AddFaultAsync(null, "status", count: 5, status: status);
        var events = new ConcurrentQueue<CodatRetryEvent>();

        var error = await Assert.ThrowsAsync<CodatApiException>(() =>
            client.UploadFilesAsync(Company, Connection, new[] { OperationTests.InMemory("a.pdf", 100) }, new CodatCallOptions { OnRetry = events.Enqueue }));

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(1, error.Attempts);
        Assert.Empty(events);
        Assert.Single(await emulator.GetRequestsAsync());
    }

    [Fact]
    public async Task Real_401_and_404_are_not_retried()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var wrongKey = emulator.CreateClient(apiKey: "another-key");
        var client = emulator.CreateClient();

        await Assert.ThrowsAsync<CodatApiException>(() => wrongKey.ListFilesAsync(Company));
        await Assert.ThrowsAsync<CodatApiException>(() => client.ListFilesAsync(Guid.NewGuid()));

        Assert.Equal(new[] { 401, 404 }, (await emulator.GetRequestsAsync()).Select(r => r.Status));
    }

    [Fact]
    public async Task Gives_up_after_max_retry_attempts_with_growing_delays()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient(EmulatorHarness.FastRetry(maxRetries: 2));
        await emulator.AddFaultAsync("list-files", "status", count: 10, status: 500);
        var events = new ConcurrentQueue<CodatRetryEvent>();

        var error = await Assert.ThrowsAsync<CodatApiException>(() =>
            client.ListFilesAsync(Company, new CodatCallOptions { OnRetry = events.Enqueue }));

        Assert.Equal(3, error.Attempts);
        Assert.Equal(CodatErrorKind.ServerError, error.Kind);
        Assert.Contains("3 attempts", error.Message);
        Assert.Contains("MaxRetryAttempts (2)", error.Message);
        Assert.Equal(3, (await emulator.GetRequestsAsync()).Count);
        // InitialInterval 50 ms × 2^n without jitter: 50 ms, then 100 ms.
        Assert.Equal(new[] { TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100) }, events.Select(e => e.Delay));
        Assert.Equal(new[] { 1, 2 }, events.Select(e => e.FailedAttempt));
        Assert.All(events, e => Assert.False(e.DelayFromRetryAfter));
    }

    [Fact]
    public async Task The_wait_reported_with_jitter_is_the_wait_the_client_takes()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var retry = EmulatorHarness.FastRetry(maxRetries: 1);
        retry.UseJitter = true;
        retry.InitialInterval = TimeSpan.FromSeconds(4);
        var clock = new TestClock();
        var client = emulator.CreateClient(retry, time: clock);
        await emulator.AddFaultAsync("list-files", "status", status: 503);
        var retrying = new TaskCompletionSource<CodatRetryEvent>(TaskCreationOptions.RunContinuationsAsynchronously);

        var call = client.ListFilesAsync(Company, new CodatCallOptions { OnRetry = e => retrying.TrySetResult(e) });
        var reported = (await retrying.Task.WaitAsync(TimeSpan.FromSeconds(20))).Delay;
        // Decided once when the attempt ended: the timer started is the very wait reported (jitter spreads it ±25%).
        await clock.PassAsync(reported);
        await TestClock.Bounded(call);

        Assert.InRange(reported, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5));
        Assert.Equal(2, (await emulator.GetRequestsAsync()).Count);
    }

    [Fact]
    public async Task Gives_up_at_once_when_the_next_backoff_would_pass_max_elapsed_time()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var retry = EmulatorHarness.FastRetry(maxRetries: 10);
        retry.MaxElapsedTime = TimeSpan.FromSeconds(2);
        retry.InitialInterval = TimeSpan.FromSeconds(5);
        var clock = new TestClock(); // moved by nobody: a call that waited would never end
        var client = emulator.CreateClient(retry, time: clock);
        await emulator.AddFaultAsync("list-files", "status", count: 5, status: 503);
        var events = new ConcurrentQueue<CodatRetryEvent>();

        var error = await Assert.ThrowsAsync<CodatApiException>(() =>
            TestClock.Bounded(client.ListFilesAsync(Company, new CodatCallOptions { OnRetry = events.Enqueue })));

        Assert.DoesNotContain(TimeSpan.FromSeconds(5), clock.PendingTimers());
        Assert.Equal(1, error.Attempts);
        Assert.Equal(503, error.StatusCode);
        Assert.Contains("the next wait of 5 s would pass MaxElapsedTime (2 s;", error.Message);
        Assert.Empty(events);
        Assert.Single(await emulator.GetRequestsAsync());
    }

    [Fact]
    public async Task An_attempt_is_cut_short_when_the_budget_runs_out_and_reported_as_such()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var retry = EmulatorHarness.FastRetry(maxRetries: 10);
        retry.PerAttemptTimeout = TimeSpan.FromSeconds(1.5);
        retry.MaxElapsedTime = TimeSpan.FromSeconds(2);
        var clock = new TestClock();
        var client = emulator.CreateClient(retry, time: clock);
        await emulator.AddFaultAsync("list-files", "delay", count: 5, delayMs: 5000);

        var call = client.ListFilesAsync(Company);
        await emulator.TimeOutAttemptsAsync(clock, requestsBefore: 0, TimeSpan.FromSeconds(1.5), TimeSpan.FromMilliseconds(50), attempts: 1);
        await clock.PassAsync(TimeSpan.FromMilliseconds(50));         // the retry wait
        await emulator.WaitForRequestsAsync(2);
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(1.5));     // attempt 2 starts with its own 1.5 s ...
        clock.Advance(TimeSpan.FromMilliseconds(450));                // ... but the budget's 2 s end first
        var error = await Assert.ThrowsAsync<CodatConnectionException>(() => TestClock.Bounded(call));

        Assert.True(error.TimedOut);
        Assert.Equal(2, error.Attempts);
        Assert.Contains("the attempt was stopped when the call's time budget (MaxElapsedTime 2 s) ran out", error.Message);
        Assert.Contains("MaxElapsedTime (2 s) is used up", error.Message);
        Assert.DoesNotContain("per-attempt timeout", error.Message);
    }

    [Fact]
    public async Task Default_retry_count_is_unbounded_and_accepted_by_the_pipeline()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var retry = new CodatRetryOptions { InitialInterval = TimeSpan.FromMilliseconds(10), MaxElapsedTime = TimeSpan.FromSeconds(20), UseJitter = false };
        var client = emulator.CreateClient(retry);
        await emulator.AddFaultAsync("list-files", "status", count: 12, status: 500);

        var files = await client.ListFilesAsync(Company);

        Assert.Empty(files);
        Assert.Equal(13, (await emulator.GetRequestsAsync()).Count); // past the old default of 10 retries
    }
}
