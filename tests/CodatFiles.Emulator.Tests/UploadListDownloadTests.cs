using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using CodatFiles.Emulator.Tests.Support;

namespace CodatFiles.Emulator.Tests;

public sealed class UploadListDownloadTests
{
    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData("file")]     // the spec's field name
    [InlineData("fileName")] // what Codat's generated SDKs send
    public async Task One_file_round_trips_through_list_and_download(string field)
    {
        await using var host = await EmulatorTestHost.StartAsync();
        var content = RandomBytes(5000, 1);

        using var upload = await host.UploadAsync((field, "Invoice 2024.pdf", content));

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Empty(await upload.Content.ReadAsByteArrayAsync());
        var item = Assert.Single(await host.ListAsync());
        Assert.Equal("Invoice 2024.pdf", item.GetProperty("fileName").GetString());
        Assert.Equal("Invoice 2024.pdf", item.GetProperty("displayName").GetString());
        Assert.Equal("Accounting", item.GetProperty("sourceType").GetString());
        var uploaded = item.GetProperty("uploaded").GetString()!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", uploaded);
        Assert.Equal(EmulatorTestClock.WholeSeconds(host.Clock.GetUtcNow()), DateTimeOffset.Parse(uploaded, CultureInfo.InvariantCulture));
        var zip = await host.DownloadAsync();
        Assert.Equal(content, Assert.Single(zip, e => e.Key == "Accounting/Invoice 2024.pdf").Value);
    }

    [Theory]
    [InlineData("file")]
    [InlineData("fileName")]
    public async Task Three_files_in_one_request_are_listed_in_order_and_every_zip_entry_matches(string field)
    {
        await using var host = await EmulatorTestHost.StartAsync();
        var files = new[]
        {
            (field, "a.csv", Encoding.UTF8.GetBytes("x,y\n1,2\n")),
            (field, "b.XLSX", RandomBytes(70_000, 2)),
            (field, "c.png", RandomBytes(1, 3)),
        };

        using var upload = await host.UploadAsync(files);

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal(["a.csv", "b.XLSX", "c.png"], (await host.ListAsync()).Select(i => i.GetProperty("fileName").GetString()));
        var zip = await host.DownloadAsync();
        Assert.Equal(["Accounting/a.csv", "Accounting/b.XLSX", "Accounting/c.png"], zip.Keys);
        foreach (var (_, name, content) in files)
        {
            Assert.Equal(content, zip["Accounting/" + name]);
        }
    }

    [Fact]
    public async Task Same_name_twice_is_numbered_in_the_zip_and_kept_exact_in_the_list()
    {
        await using var host = await EmulatorTestHost.StartAsync();

        (await host.UploadAsync(("file", "report.pdf", [1]))).Dispose();
        (await host.UploadAsync(("file", "report.pdf", [2]), ("file", "REPORT.pdf", [3]))).Dispose();

        Assert.All(await host.ListAsync(), i => Assert.Equal("report.pdf", i.GetProperty("fileName").GetString(), ignoreCase: true));
        var zip = await host.DownloadAsync();
        Assert.Equal(["Accounting/report.pdf", "Accounting/report (2).pdf", "Accounting/REPORT (3).pdf"], zip.Keys);
        Assert.Equal([1], zip["Accounting/report.pdf"]);
        Assert.Equal([2], zip["Accounting/report (2).pdf"]);
        Assert.Equal([3], zip["Accounting/REPORT (3).pdf"]);
    }

    [Fact]
    public async Task Source_type_and_zip_folder_follow_the_connection_integration()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        var company = Guid.NewGuid().ToString();
        var banking = Guid.NewGuid().ToString();
        var documents = Guid.NewGuid().ToString();
        await host.ControlAsync(HttpMethod.Post, "companies", new
        {
            companyId = company,
            connections = new[] { new { connectionId = banking, integration = "Banking" }, new { connectionId = documents, integration = "BusinessDocuments" } },
        }, HttpStatusCode.Created);

        (await host.UploadAsync(TestIds.UploadPath(company, banking), ("file", "statement.pdf", [1]))).EnsureSuccessStatusCode();
        (await host.UploadAsync(TestIds.UploadPath(company, documents), ("file", "statement.pdf", [2]))).EnsureSuccessStatusCode();

        Assert.Equal(["Banking", "BusinessDocuments"], (await host.ListAsync(company)).Select(i => i.GetProperty("sourceType").GetString()));
        var zip = await host.DownloadAsync(company);
        Assert.Equal([1], zip["Banking/statement.pdf"]);
        Assert.Equal([2], zip["BusinessDocuments/statement.pdf"]);
        Assert.Empty(await host.ListAsync()); // the seeded company is untouched
    }

    [Fact]
    public async Task Download_of_a_company_without_files_is_an_empty_zip_even_when_json_is_preferred()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, TestIds.DownloadPath());
        // What Codat's TS and Go SDKs send by default.
        request.Headers.TryAddWithoutValidation("Accept", "application/json;q=1, application/octet-stream;q=0");

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(ZipContents.Read(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Concurrent_uploads_are_all_stored()
    {
        await using var host = await EmulatorTestHost.StartAsync();

        var uploads = Enumerable.Range(0, 8).Select(async i =>
        {
            using var response = await host.UploadAsync(("file", $"f{i}.csv", Encoding.UTF8.GetBytes($"{i}")));
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(uploads);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var zip = await host.DownloadAsync();
        Assert.Equal(8, zip.Count);
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(Encoding.UTF8.GetBytes($"{i}"), zip[$"Accounting/f{i}.csv"]);
        }
    }

    [Fact]
    public async Task Files_survive_a_restart_on_the_same_data_directory()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "codatfiles-emulator-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var content = RandomBytes(2048, 9);
            await using (var first = await EmulatorTestHost.StartAsync(o => o.DataDirectory = dataDir))
            {
                (await first.UploadAsync(("file", "kept.docx", content), ("file", "also.jpg", [7]))).EnsureSuccessStatusCode();
            }
            Assert.True(Directory.Exists(dataDir), "a chosen data directory is not deleted on dispose");

            await using var second = await EmulatorTestHost.StartAsync(o => o.DataDirectory = dataDir);
            Assert.Equal(["kept.docx", "also.jpg"], (await second.ListAsync()).Select(i => i.GetProperty("fileName").GetString()));
            var zip = await second.DownloadAsync();
            Assert.Equal(content, zip["Accounting/kept.docx"]);
            (await second.UploadAsync(("file", "third.pdf", [1]))).EnsureSuccessStatusCode();
            Assert.Equal("third.pdf", (await second.ListAsync())[^1].GetProperty("fileName").GetString());
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_request_is_stored_as_one_pack_and_one_manifest_and_earlier_layouts_still_load()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "codatfiles-emulator-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var company = Path.Combine(dataDir, "files", TestIds.Company);
            await using (var first = await EmulatorTestHost.StartAsync(o => o.DataDirectory = dataDir))
            {
                (await first.UploadAsync(("file", "a.pdf", [1]), ("file", "b.pdf", [2]), ("file", "c.pdf", [3]))).EnsureSuccessStatusCode();
            }
            Assert.Single(Directory.GetFiles(company, "*.json"));
            Assert.Single(Directory.GetFiles(company, "*.pack"));
            Assert.Equal(2, Directory.GetFiles(company).Length);
            Assert.Equal(3, new FileInfo(Directory.GetFiles(company, "*.pack")[0]).Length);

            // What an earlier emulator wrote: one sidecar object per file, beside its content.
            var oldId = Guid.NewGuid();
            await File.WriteAllBytesAsync(Path.Combine(company, oldId.ToString("N") + ".bin"), [4]);
            await File.WriteAllTextAsync(Path.Combine(company, oldId.ToString("N") + ".json"),
                $$"""{"Id":"{{oldId}}","CompanyId":"{{TestIds.Company}}","ConnectionId":"{{TestIds.Connection}}","FileName":"old.pdf","SourceType":"Accounting","Uploaded":"2024-03-05T10:00:00+00:00","Sequence":100,"Length":1}""");

            await using var second = await EmulatorTestHost.StartAsync(o => o.DataDirectory = dataDir);
            Assert.Equal(["a.pdf", "b.pdf", "c.pdf", "old.pdf"], (await second.ListAsync()).Select(i => i.GetProperty("fileName").GetString()));
            var zip = await second.DownloadAsync();
            Assert.Equal([4], zip["Accounting/old.pdf"]);
            Assert.Equal([1], zip["Accounting/a.pdf"]);
            Assert.Equal([2], zip["Accounting/b.pdf"]);
            Assert.Equal([3], zip["Accounting/c.pdf"]);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Temporary_data_directory_is_deleted_on_dispose()
    {
        var host = await EmulatorTestHost.StartAsync();
        var dataDir = host.Server.DataDirectory;
        (await host.UploadAsync(("file", "a.pdf", [1]))).EnsureSuccessStatusCode();
        Assert.True(Directory.Exists(dataDir));

        await host.DisposeAsync();

        Assert.False(Directory.Exists(dataDir));
    }

    [Fact]
    public async Task List_items_have_only_the_spec_File_properties_with_spec_types()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        (await host.UploadAsync(("file", "a.pdf", [1]), ("fileName", "b.csv", [2]))).EnsureSuccessStatusCode();

        using var response = await host.Client.GetAsync(TestIds.ListPath());
        var list = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        SpecSchemas.AssertConforms(list, SpecSchemas.Resolve(SpecSchemas.Operation("/companies/{companyId}/files", "get")
            .GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema")));
        var expectedNames = SpecSchemas.PropertyNames(SpecSchemas.File_).Order().ToArray();
        Assert.Equal(4, expectedNames.Length);
        Assert.All(list.EnumerateArray(), item =>
            Assert.Equal(expectedNames, item.EnumerateObject().Select(p => p.Name).Order().ToArray()));
    }
}
