using System.Collections.Concurrent;
using CodatFiles.Client;

namespace CodatFiles.Client.Tests;

/// <summary>
/// Retries of failures below HTTP (connection resets, attempts that time out, a body broken mid-download) and how
/// retry policies apply per call, counted through the emulator's request log, on a <see cref="TestClock"/> as in
/// <see cref="RetryTests"/>.
/// </summary>
public sealed class RetryTransportTests
{
    private static readonly Guid Company = EmulatorHarness.Company;
    private static readonly Guid Connection = EmulatorHarness.Connection;

    [Fact]
    public async Task Connection_resets_are_retried_then_reported_as_connection_failure()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient(EmulatorHarness.FastRetry(maxRetries: 2));
        await emulator.AddFaultAsync("list-files", "reset-before-body", count: 10);
        var events = new ConcurrentQueue<CodatRetryEvent>();

        var error = await Assert.ThrowsAsync<CodatConnectionException>(() =>
            client.ListFilesAsync(Company, new CodatCallOptions { OnRetry = events.Enqueue }));

        Assert.Equal(3, error.Attempts);
        Assert.False(error.TimedOut);
        Assert.False(error.Unreachable, "a reset means the server was there");
        Assert.Equal("list-files", error.Operation);
        Assert.NotNull(error.InnerException);
        Assert.Contains("no response from", error.Message);
        Assert.Contains(Company.ToString(), error.Message);
        Assert.Equal(new[] { 0, 0, 0 }, (await emulator.GetRequestsAsync()).Select(r => r.Status));
        Assert.Equal(2, events.Count);
        Assert.All(events, e =>
        {
            Assert.Null(e.StatusCode);
            Assert.StartsWith("connection", e.Reason);
        });
    }

    [Fact]
    public async Task Upload_reset_after_body_is_retried_with_every_source_reopened_and_disposed()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();
        await emulator.AddFaultAsync("upload-files", "reset-after-body");
        var first = new CountingSource("one.pdf", TempFolder.RandomBytes(200_000, 1));
        var second = new CountingSource("two.csv", TempFolder.RandomBytes(1_000, 2));
        var progress = new ProgressRecorder();

        var result = await client.UploadFilesAsync(Company, Connection, new[] { first.File, second.File }, new CodatCallOptions { Progress = progress });

        Assert.Equal(2, result.Attempts);
        Assert.Equal(201_000, result.Bytes);
        Assert.Equal((2, 2), (first.Opened, first.Disposed));
        Assert.Equal((2, 2), (second.Opened, second.Disposed));
        // Between the two uploads, the one list call that checks whether the aborted attempt stored anything (issue 8).
        Assert.Equal(new[] { ("upload-files", 0), ("list-files", 200), ("upload-files", 200) },
            (await emulator.GetRequestsAsync()).Select(r => (r.Operation, r.Status)));
        Assert.Equal(2, (await client.ListFilesAsync(Company)).Count); // the aborted attempt stored nothing
        // Progress restarts at 0 on the retry and reaches the total in attempt 2.
        Assert.Contains(progress.Reports, r => r.Attempt == 2 && r.BytesTransferred == 0);
        Assert.Equal(new TransferProgress(201_000, 201_000, 2), progress.Reports[^1]);
    }

    [Fact]
    public async Task Per_attempt_timeout_is_retried_then_reported_as_timed_out()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var retry = EmulatorHarness.FastRetry(maxRetries: 1);
        retry.PerAttemptTimeout = TimeSpan.FromMilliseconds(300);
        var clock = new TestClock();
        var client = emulator.CreateClient(retry, time: clock);
        await emulator.AddFaultAsync("list-files", "delay", count: 5, delayMs: 3000);
        var events = new ConcurrentQueue<CodatRetryEvent>();

        var call = client.ListFilesAsync(Company, new CodatCallOptions { OnRetry = events.Enqueue });
        await emulator.TimeOutAttemptsAsync(clock, requestsBefore: 0, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(50), attempts: 2);
        var error = await Assert.ThrowsAsync<CodatConnectionException>(() => TestClock.Bounded(call));

        Assert.True(error.TimedOut);
        Assert.Equal(2, error.Attempts);
        Assert.Contains("timed out", error.Message);
        Assert.Contains("per-attempt timeout", error.Message);
        Assert.Contains("per-attempt timeout", Assert.Single(events).Reason);
        Assert.Equal(2, (await emulator.GetRequestsAsync()).Count);
    }

    [Fact]
    public async Task A_slow_attempt_times_out_and_the_retry_succeeds()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var retry = EmulatorHarness.FastRetry();
        retry.PerAttemptTimeout = TimeSpan.FromMilliseconds(500);
        var clock = new TestClock();
        var client = emulator.CreateClient(retry, time: clock);
        await emulator.AddFaultAsync("download-files", "delay", delayMs: 2000);

        using var zip = new MemoryStream();
        var call = client.DownloadFilesAsync(Company, null, zip);
        await emulator.TimeOutAttemptsAsync(clock, requestsBefore: 0, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(50), attempts: 1);
        await clock.PassAsync(TimeSpan.FromMilliseconds(50));
        var result = await TestClock.Bounded(call);

        Assert.Equal(2, result.Attempts);
        Assert.Empty(OperationTests.EntryNames(zip.ToArray()));
    }

    [Fact]
    public async Task Call_options_retry_overrides_the_clients_policy()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient(EmulatorHarness.FastRetry(maxRetries: 0));
        await emulator.AddFaultAsync("list-files", "status", count: 2, status: 502);

        await Assert.ThrowsAsync<CodatApiException>(() => client.ListFilesAsync(Company));
        var files = await client.ListFilesAsync(Company, new CodatCallOptions { Retry = EmulatorHarness.FastRetry(maxRetries: 3) });

        Assert.Empty(files);
        Assert.Equal(new[] { 502, 502, 200 }, (await emulator.GetRequestsAsync()).Select(r => r.Status));
    }

    [Fact]
    public async Task Concurrent_calls_on_one_client_each_keep_their_own_policy_and_count()
    {
        // One pipeline serves every call of a client: each call's limits and attempt count travel with the call.
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient(EmulatorHarness.FastRetry(maxRetries: 5));
        await emulator.AddFaultAsync("list-files", "status", count: 100, status: 503);
        var noRetryEvents = new ConcurrentQueue<CodatRetryEvent>();
        var twoRetryEvents = new ConcurrentQueue<CodatRetryEvent>();

        var noRetry = Assert.ThrowsAsync<CodatApiException>(() => client.ListFilesAsync(Company,
            new CodatCallOptions { Retry = EmulatorHarness.FastRetry(maxRetries: 0), OnRetry = noRetryEvents.Enqueue }));
        var twoRetries = Assert.ThrowsAsync<CodatApiException>(() => client.ListFilesAsync(Company,
            new CodatCallOptions { Retry = EmulatorHarness.FastRetry(maxRetries: 2), OnRetry = twoRetryEvents.Enqueue }));
        var clientDefault = Assert.ThrowsAsync<CodatApiException>(() => client.ListFilesAsync(Company));

        Assert.Equal(1, (await noRetry).Attempts);
        Assert.Contains("retries are disabled (MaxRetryAttempts 0)", (await noRetry).Message);
        Assert.Equal(3, (await twoRetries).Attempts);
        Assert.Contains("MaxRetryAttempts (2)", (await twoRetries).Message);
        Assert.Equal(6, (await clientDefault).Attempts);
        Assert.Empty(noRetryEvents);
        Assert.Equal(new[] { 1, 2 }, twoRetryEvents.Select(e => e.FailedAttempt));
        Assert.Equal(10, (await emulator.GetRequestsAsync()).Count);
    }

    [Fact]
    public async Task Download_retry_after_a_partial_body_truncates_a_seekable_destination()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var truncating = new TruncateFirstDownloadHandler(afterBytes: 1000);
        var client = emulator.CreateClient(handler: truncating);
        var content = TempFolder.RandomBytes(300_000, 5);
        await client.UploadFilesAsync(Company, Connection, new[] { new UploadFile("big.pdf", content.Length, () => new MemoryStream(content)) });

        using var destination = new MemoryStream();
        destination.Write(new byte[] { 1, 2, 3 }); // existing content before the start position is kept
        var events = new ConcurrentQueue<CodatRetryEvent>();
        var result = await client.DownloadFilesAsync(Company, null, destination, new CodatCallOptions { OnRetry = events.Enqueue });

        Assert.Equal(2, result.Attempts);
        Assert.Equal(3 + result.Bytes, destination.Length);
        Assert.Equal(new byte[] { 1, 2, 3 }, destination.ToArray()[..3]);
        OperationTests.AssertZipHolds(destination.ToArray()[3..], new Dictionary<string, byte[]> { ["Accounting/big.pdf"] = content });
        Assert.Single(events);
    }

    [Fact]
    public async Task Download_after_a_partial_body_is_not_retried_into_a_non_seekable_destination()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var truncating = new TruncateFirstDownloadHandler(afterBytes: 1000);
        var client = emulator.CreateClient(handler: truncating);
        var content = TempFolder.RandomBytes(300_000, 6);
        await client.UploadFilesAsync(Company, Connection, new[] { new UploadFile("big.pdf", content.Length, () => new MemoryStream(content)) });

        using var destination = new NonSeekableStream();
        var error = await Assert.ThrowsAsync<CodatConnectionException>(() => client.DownloadFilesAsync(Company, null, destination));

        Assert.Equal(1, error.Attempts);
        Assert.Contains("cannot seek", error.Message);
        Assert.Equal(1, (await emulator.GetRequestsAsync()).Count(r => r.Operation == "download-files"));
    }
}

/// <summary>
/// Real HTTP, but the first download response's body breaks after some bytes, as a dropped connection would:
/// the emulator's faults act before the response, so a mid-body failure is made here.
/// </summary>
internal sealed class TruncateFirstDownloadHandler(int afterBytes) : DelegatingHandler(new HttpClientHandler())
{
    private int _truncated;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.RequestUri!.AbsolutePath.EndsWith("/files/download", StringComparison.Ordinal) &&
            response.IsSuccessStatusCode && Interlocked.Exchange(ref _truncated, 1) == 0)
        {
            var original = response.Content;
            var body = await original.ReadAsStreamAsync(cancellationToken);
            var replacement = new StreamContent(new BreakingStream(body, afterBytes, new IOException("simulated: connection reset by peer mid-body")));
            foreach (var header in original.Headers) replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
            response.Content = replacement;
        }

        return response;
    }
}

/// <summary>A write-only stream that cannot seek, like a pipe or a network stream.</summary>
internal sealed class NonSeekableStream : Stream
{
    public long Written { get; private set; }
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => Written += count;
}
