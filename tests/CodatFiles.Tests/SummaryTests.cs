using System.Management.Automation;
using CodatFiles.Client;
using CodatFiles.Pipeline;
using CodatFiles.Upload;

namespace CodatFiles.Tests;

/// <summary>
/// The summary's counts come from the errors written, its text fits 80 columns, and the failures that stop a call,
/// a company or a connection are told apart from those of one batch.
/// </summary>
public sealed class SummaryTests
{
    private static readonly Guid CompanyA = Guid.NewGuid();
    private static readonly Guid CompanyB = Guid.NewGuid();
    private static readonly Guid Connection = Guid.NewGuid();

    private static CodatApiException Api(int status, CodatErrorKind kind, CodatNotFoundSubject? notFound = null) =>
        new("m", "upload-files", 1, "r", null, status, kind, notFound, null, null, null, null);

    private static ErrorRecord Error(string id, object? target) => new(new InvalidOperationException("x"), id, ErrorCategory.NotSpecified, target);

    [Fact]
    public void Failed_counts_every_file_an_error_stands_for_and_at_least_one()
    {
        var tally = new TransferTally();
        var files = new[] { new FileInfo("/in/a.pdf"), new FileInfo("/in/b.pdf"), new FileInfo("/other/c.pdf") };

        tally.CountWrittenError(Error("CodatFiles.Unauthorized", files), files.Length, 30);
        tally.CountWrittenError(Error("CodatFiles.ServiceUnavailable", CompanyA), 0, 0);
        var summary = tally.ToSummary("Send-CodatFile", TimeSpan.FromSeconds(1), "already stored");

        Assert.Equal(4, summary.FilesFailed);
        Assert.Equal(30, summary.BytesFailed);
        Assert.Equal(new[] { "CodatFiles.Unauthorized", "CodatFiles.ServiceUnavailable" }, summary.Failures.Select(g => g.ErrorId));
        Assert.Equal("2 folders", summary.Failures[0].Location);
        Assert.Equal("company " + CompanyA.ToString("D"), summary.Failures[1].Location);
        Assert.Equal(new long[] { 3, 1 }, summary.Failures.Select(g => g.Files));
    }

    [Fact]
    public void The_text_keeps_to_80_columns_and_says_where_the_failures_are()
    {
        var tally = new TransferTally();
        var deep = new FileInfo("/" + string.Join("/", Enumerable.Repeat("month-end", 6)) + "/statement.pdf");
        UploadTargetNotes.Attach(deep, CompanyA, Connection);
        for (var i = 0; i < 7; i++) tally.CountWrittenError(Error("CodatFiles.Kind" + i, deep), 1, 10);
        tally.AddDone(496, 1 << 20);
        tally.AddUpToDate(12, 1 << 10);

        var summary = tally.ToSummary("Send-CodatFile", TimeSpan.FromSeconds(52), "already stored");
        var lines = summary.Message.Split(Environment.NewLine);

        Assert.All(lines, line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));
        Assert.Equal("Send-CodatFile: 496 files done (1 MB), 7 failed (70 B).", lines[0]);
        Assert.Equal("12 already stored, 0 skipped; 0 requests, 0 retries, 52.0 s.", lines[1]);
        var flat = System.Text.RegularExpressions.Regex.Replace(summary.Message, @"\s+", " ");
        Assert.Contains("month-end, company " + CompanyA.ToString("D"), flat);
        Assert.Contains("Failed: 2 files more, of 2 other kinds or places.", flat);
        Assert.EndsWith("The 7 errors are above and in $Error.", summary.Message);
        Assert.Equal("Send-CodatFile: 7 of 515 files failed (496 done, 12 already stored, 0 skipped). The 7 errors are above and in $Error.", SummaryText.WarningOf(summary, "already stored"));
        Assert.IsAssignableFrom<HostInformationMessage>(summary);
    }

    [Fact]
    public void No_warning_when_nothing_failed()
    {
        var tally = new TransferTally();
        tally.AddDone(1, 10);
        Assert.Null(SummaryText.WarningOf(tally.ToSummary("Save-CodatFiles", TimeSpan.Zero, "up to date"), "up to date"));
    }

    [Theory]
    [InlineData(401, CodatErrorKind.Unauthorized, null, "Call")]
    [InlineData(403, CodatErrorKind.Forbidden, null, "Company")]
    [InlineData(404, CodatErrorKind.NotFound, CodatNotFoundSubject.Company, "Company")]
    [InlineData(404, CodatErrorKind.NotFound, CodatNotFoundSubject.Connection, "Connection")]
    [InlineData(404, CodatErrorKind.NotFound, CodatNotFoundSubject.Unknown, null)]
    [InlineData(503, CodatErrorKind.ServiceUnavailable, null, null)]
    [InlineData(400, CodatErrorKind.BadRequest, null, null)]
    public void What_an_answer_stops(int status, CodatErrorKind kind, CodatNotFoundSubject? notFound, string? scope)
    {
        Assert.Equal(scope, CallStop.ScopeOf(Api(status, kind, notFound))?.ToString());
    }

    [Fact]
    public void A_stop_is_recorded_once_and_rules_out_only_its_scope()
    {
        var stops = new WholeCallStops();

        var forbidden = stops.Record(Api(403, CodatErrorKind.Forbidden), CompanyA, Connection, out var first);
        var again = stops.Record(Api(403, CodatErrorKind.Forbidden), CompanyA, Connection, out var second);

        Assert.True(first);
        Assert.False(second);
        Assert.Same(forbidden, again);
        Assert.Same(forbidden, stops.StopFor(CompanyA, Guid.NewGuid()));
        Assert.Null(stops.StopFor(CompanyB, Connection));
        Assert.Null(stops.Record(Api(503, CodatErrorKind.ServiceUnavailable), CompanyB, Connection, out _));

        var refused = stops.Record(Api(401, CodatErrorKind.Unauthorized), CompanyB, Connection, out _);
        Assert.Same(refused, stops.StopFor(CompanyB, Connection));
        Assert.Equal(2, stops.All.Count);
    }
}
