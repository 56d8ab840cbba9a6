using System.Collections.Concurrent;
using CodatFiles.Client;

namespace CodatFiles.Client.Tests;

/// <summary>
/// After an upload attempt with no answer, a file counts as stored only on evidence: the company's list shows more
/// entries of its name than the baseline expects, one of them uploaded since the attempt began on Codat's clock.
/// Anything else is re-sent and reported, so the caller can warn that it may now be stored twice.
/// </summary>
public sealed class ProvenOutcomeTests
{
    private static readonly Guid Company = EmulatorHarness.Company;
    private static readonly Guid Connection = EmulatorHarness.Connection;

    private static UploadFile[] Files(params string[] names) => names.Select(n => OperationTests.InMemory(n, 2_000)).ToArray();

    private static async Task<int> StoredAsync(CodatFilesClient client, string name) =>
        (await client.ListFilesAsync(Company)).Count(f => f.FileName == name);

    [Fact]
    public async Task Version_2_read_in_full_but_not_stored_is_not_taken_for_version_1_of_the_same_name()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();
        var baseline = new CodatUploadBaseline(await client.ListFilesAsync(Company));
        var reports = new ConcurrentQueue<CodatAmbiguousAttempt>();
        var options = new CodatCallOptions { UploadBaseline = baseline, OnAmbiguousAttempt = reports.Enqueue };
        await client.UploadFilesAsync(Company, Connection, Files("report.pdf"), options);
        await emulator.AddFaultAsync("upload-files", "reset-after-body");

        var result = await client.UploadFilesAsync(Company, Connection, Files("report.pdf"), options);

        Assert.Empty(result.FoundStored);
        Assert.Equal(2, result.Attempts);
        var report = Assert.Single(reports);
        Assert.Equal(new[] { "report.pdf" }, report.Resending);
        Assert.NotNull(report.Doubt);
        Assert.Equal(2, await StoredAsync(client, "report.pdf"));
        Assert.Equal(2, baseline.Expected("report.pdf"));
    }

    [Theory]
    [InlineData(-10.0, "store-then-drop")]
    [InlineData(-2.5, "store-then-drop")]
    [InlineData(2.5, "store-then-drop")]
    [InlineData(10.0, "store-then-drop")]
    [InlineData(-10.0, "reset-after-body")]
    [InlineData(-2.5, "reset-after-body")]
    [InlineData(2.5, "reset-after-body")]
    [InlineData(10.0, "reset-after-body")]
    public async Task Whatever_the_server_clock_skew_a_lost_answer_leaves_each_file_stored_once(double skewMinutes, string fault)
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        await emulator.SetClockAsync(DateTimeOffset.UtcNow.AddMinutes(skewMinutes));
        var client = emulator.CreateClient();
        var baseline = new CodatUploadBaseline(await client.ListFilesAsync(Company));
        await emulator.AddFaultAsync("upload-files", fault);
        var reports = new ConcurrentQueue<CodatAmbiguousAttempt>();

        var result = await client.UploadFilesAsync(Company, Connection, Files("a.pdf", "b.csv"),
            new CodatCallOptions { UploadBaseline = baseline, OnAmbiguousAttempt = reports.Enqueue });

        var report = Assert.Single(reports);
        var stored = fault == "store-then-drop";
        Assert.Equal(stored ? 2 : 0, report.FoundStored.Count);
        Assert.Equal(stored ? 0 : 2, report.Resending.Count);
        Assert.Equal(1, await StoredAsync(client, "a.pdf"));
        Assert.Equal(1, await StoredAsync(client, "b.csv"));
        // The result's time is Codat's (skewed) clock, not ours.
        Assert.InRange(result.CompletedAt, DateTimeOffset.UtcNow.AddMinutes(skewMinutes).AddSeconds(-30), DateTimeOffset.UtcNow.AddMinutes(skewMinutes).AddSeconds(5));
    }

    [Theory]
    [InlineData(-10.0)]
    [InlineData(10.0)]
    public async Task A_new_entry_by_another_writer_older_than_the_attempt_is_not_taken_as_proof(double skewMinutes)
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var serverNow = DateTimeOffset.UtcNow.AddMinutes(skewMinutes);
        await emulator.SetClockAsync(serverNow);
        var client = emulator.CreateClient();
        var baseline = new CodatUploadBaseline(await client.ListFilesAsync(Company));
        // Another writer stores the same name "30 s earlier" on the server's clock, after the baseline was taken.
        await emulator.SetClockAsync(serverNow.AddSeconds(-30));
        await emulator.CreateClient().UploadFilesAsync(Company, Connection, Files("inv.pdf"));
        await emulator.SetClockAsync(serverNow);
        await emulator.AddFaultAsync("upload-files", "reset-after-body");
        var reports = new ConcurrentQueue<CodatAmbiguousAttempt>();

        var result = await client.UploadFilesAsync(Company, Connection, Files("inv.pdf"),
            new CodatCallOptions { UploadBaseline = baseline, OnAmbiguousAttempt = reports.Enqueue });

        Assert.Empty(result.FoundStored);
        Assert.Equal(new[] { "inv.pdf" }, Assert.Single(reports).Resending);
        Assert.Equal(2, await StoredAsync(client, "inv.pdf"));
    }

    [Theory]
    [InlineData(500, 1)]
    [InlineData(502, 1)]
    [InlineData(504, 1)]
    [InlineData(503, 0)]
    [InlineData(429, 0)]
    public async Task A_500_502_or_504_after_the_whole_body_is_checked_before_re_sending_a_503_or_429_is_not(int status, int checks)
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();
        await emulator.AddFaultAsync("upload-files", "status", status: status, retryAfter: "0");
        var reports = new ConcurrentQueue<CodatAmbiguousAttempt>();

        await client.UploadFilesAsync(Company, Connection, Files("x.pdf"),
            new CodatCallOptions { UploadBaseline = new CodatUploadBaseline([]), OnAmbiguousAttempt = reports.Enqueue });

        Assert.Equal(checks, reports.Count);
        Assert.Equal(checks, (await emulator.GetRequestsAsync()).Count(r => r.Operation == "list-files"));
        Assert.Equal(1, await StoredAsync(client, "x.pdf"));
    }

    [Fact]
    public async Task A_late_commit_after_the_check_is_re_sent_and_reported_so_the_caller_can_warn()
    {
        // One clock for the client and the emulator, which outlasts the attempt's timeout with the commit: past
        // TestClock.ShortWait, so the clock passes the client's retry waits by itself but never the commit.
        var clock = new TestClock(passShortWaits: true);
        var lateCommit = TestClock.ShortWait * 2;
        await using var emulator = await EmulatorHarness.StartAsync(o => o.TimeProvider = clock);
        var retry = EmulatorHarness.FastRetry();
        retry.PerAttemptTimeout = TimeSpan.FromMilliseconds(600);
        var client = emulator.CreateClient(retry, time: clock);
        await emulator.AddFaultAsync("upload-files", "late-commit", delayMs: (int)lateCommit.TotalMilliseconds);
        var reports = new ConcurrentQueue<CodatAmbiguousAttempt>();

        var call = client.UploadFilesAsync(Company, Connection, Files("late.pdf"),
            new CodatCallOptions { UploadBaseline = new CodatUploadBaseline([]), OnAmbiguousAttempt = reports.Enqueue });
        await clock.WaitForTimerAsync(lateCommit); // the emulator has read the upload and holds its commit back
        clock.Advance(retry.PerAttemptTimeout);   // the attempt times out first: the check finds nothing, the file is re-sent
        var result = await TestClock.Bounded(call);
        var storedBeforeCommit = await StoredAsync(client, "late.pdf");
        clock.Advance(lateCommit);                // then the late commit lands

        Assert.Empty(result.FoundStored);
        Assert.Equal(new[] { "late.pdf" }, Assert.Single(reports).Resending);
        Assert.Equal(1, storedBeforeCommit);
        await EmulatorHarness.WaitUntilAsync(async () => await StoredAsync(client, "late.pdf") == 2); // the duplicate the report warned about
    }

    [Fact]
    public async Task A_name_re_sent_unproven_is_never_credited_again_in_the_same_baseline()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();
        var baseline = new CodatUploadBaseline([]);
        var reports = new ConcurrentQueue<CodatAmbiguousAttempt>();
        var options = new CodatCallOptions { UploadBaseline = baseline, OnAmbiguousAttempt = reports.Enqueue };
        await emulator.AddFaultAsync("upload-files", "reset-after-body");
        await client.UploadFilesAsync(Company, Connection, Files("doubt.pdf"), options);
        await emulator.AddFaultAsync("upload-files", "store-then-drop");

        var second = await client.UploadFilesAsync(Company, Connection, Files("doubt.pdf"), options);

        Assert.True(baseline.IsInDoubt("doubt.pdf"));
        Assert.Empty(second.FoundStored);
        Assert.Equal(2, reports.Count(r => r.Resending.Contains("doubt.pdf")));
        Assert.Equal(3, await StoredAsync(client, "doubt.pdf"));
    }

    [Fact]
    public async Task When_the_last_attempt_had_no_answer_the_error_names_the_files_it_may_have_stored()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient(EmulatorHarness.FastRetry(maxRetries: 0));
        await emulator.AddFaultAsync("upload-files", "store-then-drop");

        var baseline = new CodatUploadBaseline([]);

        var error = await Assert.ThrowsAnyAsync<CodatException>(() =>
            client.UploadFilesAsync(Company, Connection, Files("maybe.pdf"), new CodatCallOptions { UploadBaseline = baseline }));

        Assert.Equal(new[] { "maybe.pdf" }, error.UploadOutcomeUnknown);
        Assert.True(baseline.IsInDoubt("maybe.pdf"), "a later attempt of that name must not be credited with this one's entry");
        Assert.Equal(1, await StoredAsync(client, "maybe.pdf"));
    }
}
