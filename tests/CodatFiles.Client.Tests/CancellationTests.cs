using CodatFiles.Client;

namespace CodatFiles.Client.Tests;

/// <summary>The caller's token ends a call at once with OperationCanceledException, never a Codat exception.</summary>
public sealed class CancellationTests
{
    private static readonly Guid Company = EmulatorHarness.Company;

    [Fact]
    public async Task Cancelling_while_the_server_holds_the_request_throws_operation_cancelled_quickly()
    {
        var clock = new TestClock(); // the emulator's too: its 10 s delay cannot end unless the test moves it
        await using var emulator = await EmulatorHarness.StartAsync(o => o.TimeProvider = clock);
        var client = emulator.CreateClient(time: clock);
        await emulator.AddFaultAsync("list-files", "delay", delayMs: 10_000);
        using var cts = new CancellationTokenSource();
        var started = clock.GetUtcNow();

        var call = client.ListFilesAsync(Company, cancellationToken: cts.Token);
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(10)); // the emulator holds the request
        await cts.CancelAsync();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TestClock.Bounded(call));

        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Equal(started, clock.GetUtcNow()); // quickly: ended by the token alone, before any delay or timeout
        Assert.Single(await emulator.GetRequestsAsync()); // cancelled, not retried
    }

    [Fact]
    public async Task Cancelling_during_a_retry_wait_throws_operation_cancelled_quickly()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var retry = EmulatorHarness.FastRetry();
        retry.MaxInterval = TimeSpan.FromSeconds(30);
        var client = emulator.CreateClient(retry); // the harness clock passes no wait longer than 10 s by itself
        await emulator.AddFaultAsync("list-files", "status", status: 503, retryAfter: "20");
        using var cts = new CancellationTokenSource();
        var waiting = new TaskCompletionSource();

        var call = client.ListFilesAsync(Company, new CodatCallOptions { OnRetry = _ => waiting.TrySetResult() }, cts.Token);
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var started = emulator.Clock.GetUtcNow();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TestClock.Bounded(call));
        Assert.Equal(started, emulator.Clock.GetUtcNow()); // quickly: the 20 s wait was cut, not waited out
        Assert.Single(await emulator.GetRequestsAsync());
    }

    [Fact]
    public async Task Cancelling_a_download_to_file_leaves_neither_file_nor_temp_file()
    {
        var clock = new TestClock(); // the emulator's too: its 10 s delay cannot end unless the test moves it
        await using var emulator = await EmulatorHarness.StartAsync(o => o.TimeProvider = clock);
        using var folder = new TempFolder();
        var client = emulator.CreateClient(time: clock);
        await emulator.AddFaultAsync("download-files", "delay", delayMs: 10_000);
        var target = Path.Combine(folder.Path, "files.zip");
        using var cts = new CancellationTokenSource();

        var call = client.DownloadFilesToFileAsync(Company, null, target, cancellationToken: cts.Token);
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(10)); // the emulator holds the request
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TestClock.Bounded(call));

        Assert.Empty(folder.Entries());
    }

    [Fact]
    public async Task A_failed_download_to_file_leaves_neither_file_nor_temp_file_and_keeps_an_existing_one()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        using var folder = new TempFolder();
        var client = emulator.CreateClient();
        var existing = folder.CreateFile("keep.zip", 123);

        await Assert.ThrowsAsync<CodatApiException>(() => client.DownloadFilesToFileAsync(Guid.NewGuid(), null, Path.Combine(folder.Path, "new.zip")));
        await Assert.ThrowsAsync<CodatApiException>(() => client.DownloadFilesToFileAsync(Guid.NewGuid(), null, existing));

        Assert.Equal(new[] { existing }, folder.Entries());
        Assert.Equal(123, new FileInfo(existing).Length);
    }

    [Fact]
    public async Task An_already_cancelled_token_sends_nothing()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ListFilesAsync(Company, cancellationToken: new CancellationToken(canceled: true)));

        Assert.Empty(await emulator.GetRequestsAsync());
    }
}
