using System.Globalization;
using CodatFiles.Client;
using CodatFiles.Pipeline;
using CodatFiles.Upload;

namespace CodatFiles.Tests;

/// <summary>
/// Send-CodatFile's re-run rule: which local files Codat already holds (name in NFC, last write time within 2 s of
/// the newest stored upload on Codat's clock), what -Force and -SkipExisting change, and the warnings owed.
/// </summary>
public sealed class ReRunRuleTests : IDisposable
{
    private static readonly DateTimeOffset Uploaded = new(2026, 11, 30, 18, 0, 0, TimeSpan.Zero);
    private static readonly Guid Company = Guid.NewGuid();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("codat-rerun-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static StoredName Stored(params DateTimeOffset?[] uploads)
    {
        var index = Index(uploads.Select(u => ("report.pdf", u)).ToArray());
        return index.Find("report.pdf")!;
    }

    private static StoredFileIndex Index(params (string Name, DateTimeOffset? Uploaded)[] entries)
    {
        var index = new StoredFileIndex();
        foreach (var (name, uploaded) in entries)
        {
            index.Add(new CodatFile { FileName = name, Uploaded = uploaded?.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) });
        }
        return index;
    }

    private FileInfo LocalFile(string relativePath, DateTimeOffset lastWrite)
    {
        var path = Path.Combine(_folder.FullName, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, relativePath);
        File.SetLastWriteTimeUtc(path, lastWrite.UtcDateTime);
        return new FileInfo(path);
    }

    [Theory]
    [InlineData(-3600, false)]
    [InlineData(0, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(86400, true)]
    public void A_file_is_newer_only_past_the_two_second_tie_band(int secondsAfterUpload, bool newer)
    {
        Assert.Equal(newer ? ReRunVerdict.SendNewer : ReRunVerdict.SkipStored, ReRunRule.Decide(Stored(Uploaded), Uploaded.AddSeconds(secondsAfterUpload), ReRunMode.SendNewer));
    }

    [Fact]
    public void The_band_is_measured_from_the_newest_entry_of_the_name()
    {
        var stored = Stored(Uploaded.AddHours(-5), Uploaded, null, Uploaded.AddDays(-3));

        Assert.Equal(4, stored.Entries);
        Assert.Equal(Uploaded, stored.NewestUploadedAt);
        Assert.Equal(ReRunVerdict.SkipStored, ReRunRule.Decide(stored, Uploaded.AddHours(-1), ReRunMode.SendNewer));
    }

    [Fact]
    public void New_names_are_sent_in_every_mode()
    {
        foreach (var mode in Enum.GetValues<ReRunMode>())
        {
            Assert.Equal(ReRunVerdict.SendNew, ReRunRule.Decide(null, Uploaded, mode));
        }
    }

    [Fact]
    public void Force_sends_and_SkipExisting_skips_whatever_the_times()
    {
        Assert.Equal(ReRunVerdict.SendForced, ReRunRule.Decide(Stored(Uploaded), Uploaded.AddHours(-1), ReRunMode.SendAll));
        Assert.Equal(ReRunVerdict.SkipStored, ReRunRule.Decide(Stored(Uploaded), Uploaded.AddHours(-1), ReRunMode.SkipStoredNames));
        Assert.Equal(ReRunVerdict.SkipStoredNameNewer, ReRunRule.Decide(Stored(Uploaded), Uploaded.AddHours(1), ReRunMode.SkipStoredNames));
    }

    [Fact]
    public void A_stored_name_without_any_upload_time_is_sent_with_a_warning_rather_than_skipped_unseen()
    {
        Assert.Equal(ReRunVerdict.SendTimeUnknown, ReRunRule.Decide(Stored((DateTimeOffset?)null), Uploaded, ReRunMode.SendNewer));
        Assert.True(ReRunVerdict.SendTimeUnknown.Sends());
    }

    [Fact]
    public void Names_match_in_NFC_and_case_sensitively_while_the_baseline_counts_exact_names()
    {
        var composed = "caf\u00e9.pdf";
        var decomposed = "cafe\u0301.pdf";
        var index = Index((composed, Uploaded), (decomposed, Uploaded.AddMinutes(1)), ("Report.pdf", Uploaded));

        Assert.Equal(2, index.Find(decomposed)!.Entries);
        Assert.Equal(Uploaded.AddMinutes(1), index.Find(composed)!.NewestUploadedAt);
        Assert.Null(index.Find("report.pdf"));
        Assert.Equal(1, index.EntriesNamedExactly(decomposed));
        Assert.Equal(1, index.ToBaseline().Expected(composed));
        Assert.Equal(0, index.ToBaseline().Expected("report.pdf"));
    }

    [Fact]
    public void The_filter_compares_on_Codats_clock_and_counts_each_skip_as_already_stored()
    {
        // Codat's clock is 10 minutes behind ours: a file written 5 minutes "after" the upload on our clock was
        // written before it on Codat's, so it is stored; one written 15 minutes after is newer.
        var tally = new TransferTally();
        var filter = new ReRunFilter(ReRunMode.SendNewer, ours => ours.AddMinutes(-10), tally);
        var index = Index(("old.pdf", Uploaded), ("new.pdf", Uploaded));
        var (verbose, warnings) = (new List<string>(), new List<string>());
        var note = new ReRunNote(verbose.Add, warnings.Add);

        Assert.False(filter.ShouldSend(Company, LocalFile("old.pdf", Uploaded.AddMinutes(5)), index, note));
        Assert.True(filter.ShouldSend(Company, LocalFile("new.pdf", Uploaded.AddMinutes(15)), index, note));
        Assert.True(filter.ShouldSend(Company, LocalFile("other.pdf", Uploaded), index, note));

        var summary = tally.ToSummary("Send-CodatFile", TimeSpan.Zero, "already stored");
        Assert.Equal(1, summary.FilesUpToDate);
        Assert.Equal(0, summary.FilesSkipped);
        Assert.Contains(verbose, line => line.Contains("Skipping '") && line.Contains("old.pdf") && line.Contains("2026-11-30 18:00:00Z"));
        Assert.Contains(verbose, line => line.StartsWith("Sending '", StringComparison.Ordinal) && line.Contains("new.pdf") && line.Contains("newer version"));
        Assert.Equal(2, verbose.Count);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Skipped_files_of_a_name_with_more_local_files_than_stored_entries_are_each_warned_about()
    {
        var filter = new ReRunFilter(ReRunMode.SendNewer, ours => ours, new TransferTally());
        var index = Index(("statement.pdf", Uploaded), ("ledger.pdf", Uploaded), ("ledger.pdf", Uploaded));
        var note = new ReRunNote(_ => { }, _ => { });
        var files = new[]
        {
            LocalFile("invoices/statement.pdf", Uploaded), LocalFile("archive/statement.pdf", Uploaded.AddDays(-1)),
            LocalFile("a/ledger.pdf", Uploaded), LocalFile("b/ledger.pdf", Uploaded),
        };
        foreach (var file in files) filter.CountLocal(Company, file);
        foreach (var file in files) Assert.False(filter.ShouldSend(Company, file, index, note));

        var warnings = filter.SameNameWarnings();

        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains(files[0].FullName) && w.Contains("-Force") && w.Contains("2 local files"));
        Assert.Contains(warnings, w => w.Contains(files[1].FullName));
    }

    [Fact]
    public void SkipExisting_warns_at_once_about_a_file_that_looks_newer()
    {
        var filter = new ReRunFilter(ReRunMode.SkipStoredNames, ours => ours, new TransferTally());
        var warnings = new List<string>();

        var sent = filter.ShouldSend(Company, LocalFile("report.pdf", Uploaded.AddHours(2)), Index(("report.pdf", Uploaded)), new ReRunNote(_ => { }, warnings.Add));

        Assert.False(sent);
        Assert.Contains("-SkipExisting", Assert.Single(warnings));
    }
}
