using System.IO.Compression;
using System.Text;
using CodatFiles.Client;
using static CodatFiles.Client.Tests.EmulatorHarness;

namespace CodatFiles.Client.Tests;

/// <summary>
/// A download that answers 200 but whose body is not a zip (a sign-in page served as a file, JSON, text, nothing) is
/// an unexpected-body error before any byte is kept, and is not retried; a real zip, even an empty one, passes.
/// </summary>
public sealed class DownloadBodyTests
{
    public static TheoryData<byte[], string> NotZipBodies => new()
    {
        { Encoding.UTF8.GetBytes("\uFEFF\r\n<!DOCTYPE html><html><body>Sign in to continue</body></html>"), "an HTML page" },
        { Encoding.UTF8.GetBytes("{\"files\":[]}"), "JSON" },
        { Encoding.UTF8.GetBytes("Service temporarily moved"), "text" },
        { Array.Empty<byte>(), "empty" },
        { new byte[] { 0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00 }, "6 bytes that do not start as a zip" },
        { new byte[] { (byte)'P', (byte)'K', 3 }, "3 bytes that do not start as a zip" },
    };

    [Theory]
    [MemberData(nameof(NotZipBodies))]
    public async Task A_200_download_that_is_not_a_zip_is_an_unexpected_body_error_not_retried_and_nothing_is_written(byte[] body, string described)
    {
        await using var emulator = await StartAsync();
        var client = emulator.CreateClient(FastRetry(maxRetries: 3));
        await emulator.AddRawBodyFaultAsync(body);

        using var destination = new MemoryStream();
        var error = await Assert.ThrowsAsync<CodatApiException>(() => client.DownloadFilesAsync(Company, null, destination));

        Assert.Equal(200, error.StatusCode);
        Assert.Equal(CodatErrorKind.Other, error.Kind);
        Assert.Equal(1, error.Attempts);
        Assert.Contains("the download is not a zip archive: it is " + described, error.Reason);
        Assert.Equal(0, destination.Length);
        Assert.Single(await emulator.GetRequestsAsync(), r => r.Operation == "download-files");
    }

    [Fact]
    public async Task A_download_to_file_that_is_not_a_zip_leaves_neither_file_nor_temporary_file()
    {
        await using var emulator = await StartAsync();
        var client = emulator.CreateClient();
        await emulator.AddRawBodyFaultAsync(Encoding.UTF8.GetBytes("<html>Sign in</html>"));
        var folder = Directory.CreateTempSubdirectory("codat-notzip-");
        try
        {
            var target = Path.Combine(folder.FullName, "company.zip");
            await Assert.ThrowsAsync<CodatApiException>(() => client.DownloadFilesToFileAsync(Company, null, target));
            Assert.Empty(folder.EnumerateFileSystemInfos());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_empty_zip_and_a_zip_are_downloads_byte_for_byte()
    {
        await using var emulator = await StartAsync();
        var client = emulator.CreateClient();
        var empty = ZipOf();
        var one = ZipOf(("Accounting/a.csv", "1,2,3"));
        Assert.Equal(22, empty.Length); // only the end record: "PK\x05\x06"
        await emulator.AddRawBodyFaultAsync(empty);
        await emulator.AddRawBodyFaultAsync(one);

        using var first = new MemoryStream();
        using var second = new MemoryStream();
        var emptyResult = await client.DownloadFilesAsync(Company, null, first);
        var oneResult = await client.DownloadFilesAsync(Company, null, second);

        Assert.Equal(empty, first.ToArray());
        Assert.Equal(22, emptyResult.Bytes);
        Assert.Equal(one, second.ToArray());
        Assert.Equal(one.Length, oneResult.Bytes);
    }

    [Fact]
    public async Task A_body_that_ends_in_its_first_bytes_short_of_its_content_length_is_a_network_failure_and_retried()
    {
        await using var emulator = await StartAsync();
        var client = emulator.CreateClient(handler: new EndFirstDownloadEarlyHandler(afterBytes: 3));
        var zip = ZipOf(("Accounting/a.csv", "1,2,3"));
        await emulator.AddRawBodyFaultAsync(zip, count: 2);

        using var destination = new MemoryStream();
        var result = await client.DownloadFilesAsync(Company, null, destination);

        Assert.Equal(2, result.Attempts); // "PK\x03" of a longer body is a cut answer, not a body that is not a zip
        Assert.Equal(zip, destination.ToArray());
    }

    private static byte[] ZipOf(params (string Name, string Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return buffer.ToArray();
    }
}

/// <summary>The first download's body ends cleanly after a few bytes, while its Content-Length announces more.</summary>
internal sealed class EndFirstDownloadEarlyHandler(int afterBytes) : DelegatingHandler(new HttpClientHandler())
{
    private int _cut;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode && request.RequestUri!.AbsolutePath.EndsWith("/files/download", StringComparison.Ordinal) &&
            Interlocked.Exchange(ref _cut, 1) == 0)
        {
            var original = response.Content;
            var bytes = await original.ReadAsByteArrayAsync(cancellationToken);
            var replacement = new StreamContent(new MemoryStream(bytes, 0, afterBytes));
            foreach (var header in original.Headers) replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
            response.Content = replacement;
        }

        return response;
    }
}
