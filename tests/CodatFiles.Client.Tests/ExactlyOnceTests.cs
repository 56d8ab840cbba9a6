using System.Collections.Concurrent;
using CodatFiles.Client;

namespace CodatFiles.Client.Tests;

/// <summary>
/// An upload whose whole request was sent but whose answer never came may have been stored: the client lists the
/// company's files once before re-sending, and re-sends only what is not there.
/// </summary>
public sealed class ExactlyOnceTests
{
    private static readonly Guid Company = EmulatorHarness.Company;
    private static readonly Guid Connection = EmulatorHarness.Connection;

    private static UploadFile[] ThreeFiles() => new[]
    {
        OperationTests.InMemory("one.pdf", 20_000), OperationTests.InMemory("two.csv", 300), OperationTests.InMemory("three.png", 5_000),
    };

    [Fact]
    public async Task A_lost_answer_is_resolved_by_one_list_call_and_nothing_is_sent_twice()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();
        await emulator.AddFaultAsync("upload-files", "store-then-drop");
        var reports = new ConcurrentQueue<CodatAmbiguousAttempt>();

        var result = await client.UploadFilesAsync(Company, Connection, ThreeFiles(), new CodatCallOptions { OnAmbiguousAttempt = reports.Enqueue });

        Assert.Equal(2, result.Attempts);
        Assert.Equal(new[] { "one.pdf", "two.csv", "three.png" }, result.FoundStored);
        Assert.Equal(new[] { "one.pdf", "three.png", "two.csv" }, (await client.ListFilesAsync(Company)).Select(f => f.FileName).OrderBy(n => n, StringComparer.Ordinal));
        var requests = await emulator.GetRequestsAsync();
        Assert.Equal(new[] { ("upload-files", 0), ("list-files", 200), ("list-files", 200) }, requests.Select(r => (r.Operation, r.Status)));
        var report = Assert.Single(reports);
        Assert.Equal((1, 3, 0), (report.FailedAttempt, report.FoundStored.Count, report.Resending.Count));
        Assert.Null(report.ListFailure);
    }

    [Fact]
    public async Task An_answer_later_than_the_attempt_timeout_is_resolved_the_same_way()
    {
        var clock = new TestClock(); // the client's and the emulator's: the answer is due at 3 s, the timeout at 0.8 s
        await using var emulator = await EmulatorHarness.StartAsync(o => o.TimeProvider = clock);
        var retry = EmulatorHarness.FastRetry();
        retry.PerAttemptTimeout = TimeSpan.FromMilliseconds(800);
        var client = emulator.CreateClient(retry, time: clock);
        await emulator.AddFaultAsync("upload-files", "store-then-delay", delayMs: 3000);

        var call = client.UploadFilesAsync(Company, Connection, ThreeFiles());
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(3)); // stored, the answer held back
        var storedBeforeTimeout = (await emulator.CreateClient(time: TimeProvider.System).ListFilesAsync(Company)).Count;
        clock.Advance(retry.PerAttemptTimeout); // the attempt's timeout, started before the request went out
        await clock.PassAsync(retry.InitialInterval);
        var result = await TestClock.Bounded(call);

        Assert.Equal(3, storedBeforeTimeout);
        Assert.Equal(3, result.FoundStored.Count);
        Assert.Equal(3, (await client.ListFilesAsync(Company)).Count);
        Assert.Equal(1, (await emulator.GetRequestsAsync()).Count(r => r.Operation == "upload-files"));
    }

    [Fact]
    public async Task A_reset_after_the_body_that_stored_nothing_re_sends_every_file_once()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();
        await emulator.AddFaultAsync("upload-files", "reset-after-body");
        var reports = new ConcurrentQueue<CodatAmbiguousAttempt>();

        var result = await client.UploadFilesAsync(Company, Connection, ThreeFiles(), new CodatCallOptions { OnAmbiguousAttempt = reports.Enqueue });

        Assert.Empty(result.FoundStored);
        Assert.Equal(25_300, result.Bytes);
        Assert.Equal(3, (await client.ListFilesAsync(Company)).Count);
        Assert.Equal(new[] { "one.pdf", "two.csv", "three.png" }, Assert.Single(reports).Resending);
    }

    [Fact]
    public async Task Only_the_files_not_yet_listed_are_re_sent()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();
        // An earlier upload of the same name long ago does not count as stored by this attempt.
        await emulator.SetClockAsync(DateTimeOffset.UtcNow.AddDays(-3));
        await client.UploadFilesAsync(Company, Connection, new[] { OperationTests.InMemory("two.csv", 10) });
        await emulator.ResetClockAsync();
        await emulator.AddFaultAsync("upload-files", "reset-after-body");
        var reports = new ConcurrentQueue<CodatAmbiguousAttempt>();

        var result = await client.UploadFilesAsync(Company, Connection, ThreeFiles(), new CodatCallOptions { OnAmbiguousAttempt = reports.Enqueue });

        Assert.Empty(result.FoundStored);
        Assert.Equal(3, Assert.Single(reports).Resending.Count);
        Assert.Equal(2, (await client.ListFilesAsync(Company)).Count(f => f.FileName == "two.csv"));
    }

    [Fact]
    public async Task When_the_list_fails_every_file_is_re_sent_and_the_report_says_so()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();
        await emulator.AddFaultAsync("upload-files", "store-then-drop");
        await emulator.AddFaultAsync("list-files", "status", status: 503);
        var reports = new ConcurrentQueue<CodatAmbiguousAttempt>();

        var result = await client.UploadFilesAsync(Company, Connection, ThreeFiles(), new CodatCallOptions { OnAmbiguousAttempt = reports.Enqueue });

        Assert.Equal(2, result.Attempts);
        var report = Assert.Single(reports);
        Assert.StartsWith("HTTP 503", report.ListFailure);
        Assert.Equal(3, report.Resending.Count);
        Assert.Equal(6, (await client.ListFilesAsync(Company)).Count); // stored twice, as the report warned
    }
}
