using CodatFiles.Client;
using CodatFiles.Download;
using CodatFiles.FileSystem;
using CodatFiles.Pipeline;

namespace CodatFiles.Tests;

/// <summary>Save as a sync: a file saved before is skipped, a changed one kept with a warning, a missing one fetched.</summary>
public sealed class LocalCopiesTests : IDisposable
{
    private static readonly DateTime Uploaded = new DateTime(2024, 3, 5, 10, 0, 7, DateTimeKind.Utc);
    private readonly string _folder = Directory.CreateTempSubdirectory("codat-localcopies-").FullName;
    private readonly List<string> _verbose = new();
    private readonly List<string> _warnings = new();
    private readonly TransferTally _tally = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private CatalogFile Listed(string name = "r.pdf") =>
        new CompanyFileCatalog(Guid.NewGuid(), new[] { new CodatFile { FileName = name, SourceType = "Accounting", Uploaded = "2024-03-05T10:00:07Z" } }, LocalNameRules.Linux).Files[0];

    private sealed class Bound(LocalCopies copies, string folder)
    {
        public bool NeedsDownload(CatalogFile file) => copies.NeedsDownload(file, folder);
    }

    private Bound Copies(bool force = false) => new(new LocalCopies(force, _verbose.Add, _warnings.Add, _tally), _folder);

    private string Write(CatalogFile file, DateTime lastWriteUtc)
    {
        var path = Path.Combine(_folder, file.LocalPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "content");
        File.SetLastWriteTimeUtc(path, lastWriteUtc);
        return path;
    }

    [Fact]
    public void A_missing_file_is_downloaded_and_nothing_is_said()
    {
        Assert.True(Copies().NeedsDownload(Listed()));
        Assert.Empty(_verbose);
        Assert.Empty(_warnings);
        Assert.Equal(0, _tally.FilesSkipped);
    }

    [Fact]
    public void A_file_with_the_upload_time_is_up_to_date_skipped_in_verbose_and_counted()
    {
        var file = Listed();
        var path = Write(file, Uploaded);

        Assert.False(Copies().NeedsDownload(file));
        Assert.Contains(_verbose, line => line.Contains(path) && line.Contains("up to date"));
        Assert.Empty(_warnings);
        Assert.Equal(1, _tally.FilesUpToDate);
        Assert.Equal(0, _tally.FilesSkipped);
    }

    [Fact]
    public void Up_to_date_files_are_skipped_even_with_Force()
    {
        var file = Listed();
        Write(file, Uploaded.AddSeconds(1));

        Assert.False(Copies(force: true).NeedsDownload(file));
    }

    [Fact]
    public void A_touched_file_is_kept_with_a_warning_naming_it_and_Force_not_an_error()
    {
        var file = Listed();
        var path = Write(file, Uploaded.AddSeconds(2));

        Assert.False(Copies().NeedsDownload(file));
        var warning = Assert.Single(_warnings);
        Assert.Contains(path, warning);
        Assert.Contains("-Force", warning);
        Assert.Equal(1, _tally.FilesSkipped);
        Assert.Equal(0, _tally.FilesUpToDate);
    }

    [Fact]
    public void With_Force_a_touched_file_is_downloaded_again()
    {
        var file = Listed();
        Write(file, DateTime.UtcNow);

        Assert.True(Copies(force: true).NeedsDownload(file));
        Assert.Empty(_warnings);
        Assert.Contains(_verbose, line => line.Contains("replaced (-Force)"));
    }

    [Fact]
    public void A_folder_of_the_name_is_left_to_the_write_to_report()
    {
        var file = Listed();
        Directory.CreateDirectory(Path.Combine(_folder, file.LocalPath));

        Assert.Equal(LocalCopyState.NotAFile, LocalCopies.StateOf(Path.Combine(_folder, file.LocalPath), Uploaded));
        Assert.True(Copies().NeedsDownload(file));
    }

    [Fact]
    public void Without_an_upload_time_a_file_there_differs()
    {
        var path = Path.Combine(_folder, "x.pdf");
        File.WriteAllText(path, "x");

        Assert.Equal(LocalCopyState.Differs, LocalCopies.StateOf(path, null));
        Assert.Equal(LocalCopyState.Missing, LocalCopies.StateOf(Path.Combine(_folder, "y.pdf"), Uploaded));
    }
}
