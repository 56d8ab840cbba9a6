using System.IO.Compression;
using CodatFiles.Client;

namespace CodatFiles.Client.Tests;

/// <summary>The three operations end to end against the emulator: bytes in, names listed, bytes back out.</summary>
public sealed class OperationTests
{
    private static readonly Guid Company = EmulatorHarness.Company;
    private static readonly Guid Connection = EmulatorHarness.Connection;

    [Fact]
    public async Task Upload_list_and_download_round_trip_small_and_nine_megabyte_files()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        using var folder = new TempFolder();
        var client = emulator.CreateClient();
        var paths = new[]
        {
            folder.CreateFile("invoice.pdf", 3 * 1024, seed: 1),
            folder.CreateFile("ledger.csv", 5 * 1024 + 17, seed: 2),
            folder.CreateFile("scan.png", 9 * 1024 * 1024 - 123, seed: 3),
        };
        var files = paths.Select(p => UploadFile.FromPath(p)).ToList();
        var totalBytes = files.Sum(f => f.Length!.Value);
        var progress = new ProgressRecorder();

        var upload = await client.UploadFilesAsync(Company, Connection, files, new CodatCallOptions { Progress = progress });

        Assert.Equal(new[] { "invoice.pdf", "ledger.csv", "scan.png" }, upload.FileNames);
        Assert.Equal(totalBytes, upload.Bytes);
        Assert.Equal(1, upload.Attempts);
        Assert.NotNull(upload.RateLimit?.Limit);
        Assert.NotNull(upload.RateLimit?.Remaining);
        Assert.False(string.IsNullOrEmpty(upload.RateLimit?.Reset));
        Assert.InRange(upload.CompletedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        var reports = progress.Reports;
        Assert.Equal(totalBytes, reports[^1].BytesTransferred);
        Assert.All(reports, r => Assert.Equal(totalBytes, r.TotalBytes));
        Assert.All(reports, r => Assert.Equal(1, r.Attempt));
        Assert.True(reports.Zip(reports.Skip(1), (a, b) => a.BytesTransferred <= b.BytesTransferred).All(ok => ok), "progress never goes back");
        Assert.True(reports.Count > 10, "a 9 MB file is reported in many chunks, not at once");

        var listed = await client.ListFilesAsync(Company);
        Assert.Equal(new[] { "invoice.pdf", "ledger.csv", "scan.png" }, listed.Select(f => f.FileName).OrderBy(n => n, StringComparer.Ordinal));
        Assert.All(listed, f =>
        {
            Assert.Equal(f.FileName, f.DisplayName);
            Assert.Equal("Accounting", f.SourceType);
            Assert.NotNull(f.UploadedAt);
            Assert.InRange(f.UploadedAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(1));
        });

        using var zipBytes = new MemoryStream();
        var downloadProgress = new ProgressRecorder();
        var download = await client.DownloadFilesAsync(Company, null, zipBytes, new CodatCallOptions { Progress = downloadProgress });
        Assert.Equal(zipBytes.Length, download.Bytes);
        Assert.Equal(1, download.Attempts);
        Assert.StartsWith("application/octet-stream", download.ContentType);
        Assert.Equal(download.Bytes, downloadProgress.Reports[^1].BytesTransferred);
        Assert.Equal(download.Bytes, downloadProgress.Reports[^1].TotalBytes);
        AssertZipHolds(zipBytes.ToArray(), paths.ToDictionary(p => "Accounting/" + Path.GetFileName(p), File.ReadAllBytes));

        var target = Path.Combine(folder.Path, "out", "company.zip");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var toFile = await client.DownloadFilesToFileAsync(Company, null, target);
        Assert.Equal(new FileInfo(target).Length, toFile.Bytes);
        Assert.Equal(zipBytes.ToArray(), File.ReadAllBytes(target));
        Assert.Equal(new[] { target }, Directory.GetFileSystemEntries(Path.GetDirectoryName(target)!)); // no temp file left
    }

    [Fact]
    public async Task Download_with_a_date_returns_only_files_uploaded_on_that_day()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();
        await emulator.SetClockAsync(new DateTimeOffset(2024, 3, 5, 10, 0, 0, TimeSpan.Zero));
        await client.UploadFilesAsync(Company, Connection, new[] { InMemory("march.pdf", 100) });
        await emulator.ResetClockAsync();
        await client.UploadFilesAsync(Company, Connection, new[] { InMemory("today.pdf", 200) });

        using var zip = new MemoryStream();
        // A local DateTime at 23:30: the day is sent as written (2024-03-05), not shifted by a time-zone conversion.
        await client.DownloadFilesAsync(Company, new DateTime(2024, 3, 5, 23, 30, 0, DateTimeKind.Local), zip);

        Assert.Equal(new[] { "Accounting/march.pdf" }, EntryNames(zip.ToArray()));
    }

    [Fact]
    public async Task Download_to_file_replaces_an_existing_file()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        using var folder = new TempFolder();
        var client = emulator.CreateClient();
        await client.UploadFilesAsync(Company, Connection, new[] { InMemory("a.pdf", 1000) });
        var target = folder.CreateFile("existing.zip", 50_000, seed: 9);

        var result = await client.DownloadFilesToFileAsync(Company, null, target);

        Assert.Equal(result.Bytes, new FileInfo(target).Length);
        Assert.Equal(new[] { "Accounting/a.pdf" }, EntryNames(File.ReadAllBytes(target)));
        Assert.Single(folder.Entries());
    }

    [Fact]
    public async Task Upload_sends_content_length_basic_auth_and_user_agent()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var capture = new CapturingHandler();
        var client = emulator.CreateClient(handler: capture, userAgent: "CodatFiles/0.1.0 PowerShell/7.4");

        await client.UploadFilesAsync(Company, Connection, new[] { InMemory("a.pdf", 4096), InMemory("b.xlsx", 10) });

        var request = Assert.Single(capture.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal($"/companies/{Company}/connections/{Connection}/files", request.Path);
        Assert.NotNull(request.ContentLength); // all lengths known: no chunked encoding
        Assert.NotEqual(true, request.Chunked);
        Assert.StartsWith("multipart/form-data; boundary=", request.ContentType);
        Assert.Equal("Basic " + EmulatorHarness.ApiKeyBase64, request.Authorization);
        Assert.Contains("CodatFiles/0.1.0", request.UserAgent);
        Assert.Matches(@"CodatFiles\.Client/\d+\.\d+", request.UserAgent);
    }

    [Fact]
    public async Task Upload_of_a_source_without_known_length_is_sent_chunked_and_stored_whole()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var capture = new CapturingHandler();
        var client = emulator.CreateClient(handler: capture);
        var content = TempFolder.RandomBytes(300_000, seed: 4);
        var source = new CountingSource("unknown-length.pdf", content, declareLength: false);
        var progress = new ProgressRecorder();

        var result = await client.UploadFilesAsync(Company, Connection, new[] { source.File }, new CodatCallOptions { Progress = progress });

        Assert.Equal(content.Length, result.Bytes);
        Assert.Null(Assert.Single(capture.Requests).ContentLength);
        Assert.All(progress.Reports, r => Assert.Null(r.TotalBytes));
        Assert.Equal(1, source.Opened);
        Assert.Equal(1, source.Disposed);
        using var zip = new MemoryStream();
        await client.DownloadFilesAsync(Company, null, zip);
        AssertZipHolds(zip.ToArray(), new Dictionary<string, byte[]> { ["Accounting/unknown-length.pdf"] = content });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    public async Task Upload_of_no_files_or_more_than_twenty_is_refused_before_sending(int count)
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();
        var files = Enumerable.Range(0, count).Select(i => InMemory($"f{i}.pdf", 10)).ToList();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.UploadFilesAsync(Company, Connection, files));

        Assert.Equal("files", error.ParamName);
        Assert.Empty(await emulator.GetRequestsAsync());
    }

    [Fact]
    public async Task Twenty_files_in_one_request_are_accepted()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();
        var files = Enumerable.Range(0, 20).Select(i => InMemory($"f{i:00}.csv", 100 + i)).ToList();

        var result = await client.UploadFilesAsync(Company, Connection, files);

        Assert.Equal(20, result.FileNames.Count);
        Assert.Single(await emulator.GetRequestsAsync());
        Assert.Equal(20, (await client.ListFilesAsync(Company)).Count);
    }

    [Fact]
    public async Task A_missing_local_file_surfaces_as_itself_and_is_not_retried()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        using var folder = new TempFolder();
        var client = emulator.CreateClient();
        var path = folder.CreateFile("gone.pdf", 10);
        var file = UploadFile.FromPath(path);
        File.Delete(path);

        var error = await Assert.ThrowsAsync<CodatUploadSourceException>(() => client.UploadFilesAsync(Company, Connection, new[] { file }));
        Assert.IsType<FileNotFoundException>(error.InnerException);
        Assert.Same(file, error.File);
        Assert.False(error.ChangedWhileSent);

        Assert.True((await emulator.GetRequestsAsync()).Count <= 1, "a local failure must not be retried as a network failure");
    }

    [Fact]
    public async Task A_disposed_client_refuses_calls()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();
        client.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.ListFilesAsync(Company));
    }

    internal static UploadFile InMemory(string name, int length, int seed = 7)
    {
        var bytes = TempFolder.RandomBytes(length, seed);
        return new UploadFile(name, bytes.Length, () => new MemoryStream(bytes, writable: false));
    }

    internal static string[] EntryNames(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.Select(e => e.FullName).OrderBy(n => n, StringComparer.Ordinal).ToArray();
    }

    internal static void AssertZipHolds(byte[] zip, IDictionary<string, byte[]> expected)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), archive.Entries.Select(e => e.FullName).OrderBy(k => k, StringComparer.Ordinal));
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.True(expected[entry.FullName].AsSpan().SequenceEqual(copy.ToArray()), $"{entry.FullName} differs from what was uploaded");
        }
    }
}

/// <summary>Real HTTP through HttpClientHandler, recording what each request carried on the wire.</summary>
internal sealed class CapturingHandler : DelegatingHandler
{
    private readonly List<CapturedRequest> _requests = new();

    public CapturingHandler()
        : base(new HttpClientHandler())
    {
    }

    public IReadOnlyList<CapturedRequest> Requests
    {
        get { lock (_requests) return _requests.ToList(); }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_requests)
        {
            _requests.Add(new CapturedRequest(
                request.Method,
                request.RequestUri!.AbsolutePath,
                request.RequestUri!.Query,
                request.Content?.Headers.ContentLength,
                request.Headers.TransferEncodingChunked,
                request.Content?.Headers.ContentType?.ToString(),
                request.Headers.Authorization?.ToString(),
                string.Join(" ", request.Headers.UserAgent.Select(p => p.ToString()))));
        }

        return base.SendAsync(request, cancellationToken);
    }
}

internal sealed record CapturedRequest(HttpMethod Method, string Path, string Query, long? ContentLength, bool? Chunked, string? ContentType, string? Authorization, string UserAgent);
