using System.Diagnostics;
using CodatFiles.Client;

namespace CodatFiles.Client.Tests;

/// <summary>The caller's token ends a call at once with OperationCanceledException, never a Codat exception.</summary>
public sealed class CancellationTests
{
    private static readonly Guid Company = EmulatorHarness.Company;

    [Fact]
    public async Task Cancelling_while_the_server_holds_the_request_throws_operation_cancelled_quickly()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();
        await emulator.AddFaultAsync("list-files", "delay", delayMs: 10_000);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var (error, elapsed) = await Timing.MeasureThrowsAsync<OperationCanceledException>(() => client.ListFilesAsync(Company, cancellationToken: cts.Token));

        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"took {elapsed}");
        Assert.Single(await emulator.GetRequestsAsync()); // cancelled, not retried
    }

    [Fact]
    public async Task Cancelling_during_a_retry_wait_throws_operation_cancelled_quickly()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var retry = EmulatorHarness.FastRetry();
        retry.MaxInterval = TimeSpan.FromSeconds(30);
        var client = emulator.CreateClient(retry);
        await emulator.AddFaultAsync("list-files", "status", status: 503, retryAfter: "20");
        using var cts = new CancellationTokenSource();
        var waiting = new TaskCompletionSource();

        var call = client.ListFilesAsync(Company, new CodatCallOptions { OnRetry = _ => waiting.TrySetResult() }, cts.Token);
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var watch = Stopwatch.StartNew();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Single(await emulator.GetRequestsAsync());
    }

    [Fact]
    public async Task Cancelling_a_download_to_file_leaves_neither_file_nor_temp_file()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        using var folder = new TempFolder();
        var client = emulator.CreateClient();
        await emulator.AddFaultAsync("download-files", "delay", delayMs: 10_000);
        var target = Path.Combine(folder.Path, "files.zip");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.DownloadFilesToFileAsync(Company, null, target, cancellationToken: cts.Token));

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
