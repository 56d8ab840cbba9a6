using System.Net;
using System.Text;
using System.Text.Json;
using CodatFiles.Emulator.Tests.Support;

namespace CodatFiles.Emulator.Tests;

public sealed class UploadValidationTests
{
    private const int TenMiB = 10 * 1024 * 1024;

    private static JsonElement[] ValidationErrors(JsonElement body) =>
        body.GetProperty("validation").GetProperty("errors").EnumerateArray().ToArray();

    [Fact]
    public async Task Twenty_one_files_are_rejected_and_none_is_stored()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        var files = Enumerable.Range(1, 21).Select(i => ("file", $"f{i}.pdf", new byte[] { (byte)i })).ToArray();

        using var response = await host.UploadAsync(files);

        var body = await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.BadRequest);
        var error = Assert.Single(ValidationErrors(body));
        Assert.Equal("f21.pdf", error.GetProperty("itemId").GetString());
        Assert.Equal("FileCount", error.GetProperty("validatorName").GetString());
        Assert.Contains("f21.pdf", body.GetProperty("error").GetString());
        Assert.Empty(await host.ListAsync());
    }

    [Fact]
    public async Task Twenty_files_are_accepted()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        var files = Enumerable.Range(1, 20).Select(i => ("file", $"f{i}.csv", new byte[] { (byte)i })).ToArray();

        using var response = await host.UploadAsync(files);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(20, (await host.ListAsync()).Length);
    }

    [Fact]
    public async Task Disallowed_extension_rejects_the_whole_request_naming_the_file()
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var response = await host.UploadAsync(("file", "good.pdf", [1]), ("file", "evil.exe", [2]), ("file", "noextension", [3]));

        var body = await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("evil.exe", body.GetProperty("error").GetString());
        Assert.Contains("noextension", body.GetProperty("error").GetString());
        var errors = ValidationErrors(body);
        Assert.Equal(["evil.exe", "noextension"], errors.Select(e => e.GetProperty("itemId").GetString()));
        Assert.All(errors, e => Assert.Equal("FileType", e.GetProperty("validatorName").GetString()));
        Assert.Empty(body.GetProperty("validation").GetProperty("warnings").EnumerateArray());
        Assert.Empty(await host.ListAsync());
        Assert.Empty(await host.DownloadAsync());
        Assert.Empty(Directory.EnumerateFiles(host.Server.DataDirectory, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("UPPER.PDF")]
    [InlineData("photo.JpEg")]
    [InlineData("deck.pptx")]
    [InlineData("old.xls")]
    [InlineData("binary.xlsb")]
    [InlineData("letter.doc")]
    public async Task Extensions_are_matched_case_insensitively(string name)
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var response = await host.UploadAsync(("file", name, [1]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task File_of_10_MiB_plus_one_byte_is_rejected_and_exactly_10_MiB_is_accepted()
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var tooLarge = await host.UploadAsync(("file", "small.pdf", [1]), ("file", "big.pdf", new byte[TenMiB + 1]));

        var body = await CodatErrorAssert.HasCodatErrorAsync(tooLarge, HttpStatusCode.BadRequest);
        var error = Assert.Single(ValidationErrors(body));
        Assert.Equal("big.pdf", error.GetProperty("itemId").GetString());
        Assert.Equal("FileSize", error.GetProperty("validatorName").GetString());
        Assert.Contains("big.pdf", body.GetProperty("error").GetString());
        Assert.Empty(await host.ListAsync());

        using var atLimit = await host.UploadAsync(("file", "limit.pdf", new byte[TenMiB]));
        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        Assert.Equal(TenMiB, (await host.DownloadAsync())["Accounting/limit.pdf"].Length);
    }

    [Fact]
    public async Task Non_multipart_body_is_rejected()
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var response = await host.Client.PostAsync(TestIds.UploadPath(), new StringContent("{\"file\":\"x\"}", Encoding.UTF8, "application/json"));

        var body = await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("multipart/form-data", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Multipart_without_any_file_part_is_rejected()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        using var form = new MultipartFormDataContent { { new StringContent("just a field"), "note" } };

        using var response = await host.Client.PostAsync(TestIds.UploadPath(), form);

        var body = await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("FileCount", Assert.Single(ValidationErrors(body)).GetProperty("validatorName").GetString());
    }

    private const string FilePartHeader = "Content-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n";

    [Theory]
    [InlineData("no boundary anywhere",
        "it contains no boundary line '--b', so no part can be found.")]
    [InlineData("--b\r\n" + FilePartHeader + "no closing boundary",
        "part #1 is not followed by a boundary line ('--b', or '--b--' after the last part).")]
    [InlineData("--b\r\n" + FilePartHeader + "x\r\n--b\r\n" + FilePartHeader + "cut",
        "part #2 is not followed by a boundary line ('--b', or '--b--' after the last part).")]
    [InlineData("--b\r\n" + FilePartHeader + "x\r\n--b", // MultipartReader sees an empty part #2 here
        "part #2 is not followed by a boundary line ('--b', or '--b--' after the last part).")]
    [InlineData("--b\r\nthis is no header\r\n\r\nx\r\n--b--\r\n",
        "the headers of part #1 cannot be read; each must be a 'Name: value' line ending in CRLF, at most 16 lines and 16384 bytes in all.")]
    public async Task Malformed_multipart_body_gets_the_emulators_own_message_and_stores_nothing(string raw, string problem)
    {
        await using var host = await EmulatorTestHost.StartAsync();
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(raw));
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        using var response = await host.Client.PostAsync(TestIds.UploadPath(), content);

        var body = await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The multipart/form-data body is malformed: " + problem, body.GetProperty("error").GetString());
        Assert.Empty(await host.ListAsync());
    }

    [Theory]
    [InlineData("")]                          // no Content-Disposition at all
    [InlineData("Content-Disposition: ;\r\n")] // one that does not parse
    public async Task Part_with_an_unreadable_content_disposition_is_named_by_its_position(string dispositionLine)
    {
        await using var host = await EmulatorTestHost.StartAsync();
        var raw = "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nfield\r\n"
                  + "--b\r\n" + FilePartHeader + "ok\r\n"
                  + "--b\r\n" + dispositionLine + "Content-Type: application/pdf\r\n\r\nx\r\n--b--\r\n";
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(raw));
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        using var response = await host.Client.PostAsync(TestIds.UploadPath(), content);

        var body = await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.BadRequest);
        var error = Assert.Single(ValidationErrors(body));
        Assert.Equal("Part #3 has a Content-Disposition header that cannot be read.", error.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("itemId").ValueKind); // there is no file name to give
        Assert.Empty(await host.ListAsync());
    }

    [Fact]
    public async Task Filename_star_carries_non_ascii_and_quotes_and_wins_over_filename()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        const string name = "Rechnung \"März\" – 日本.pdf";
        var encoded = Uri.EscapeDataString(name); // RFC 5987 percent-encoding of the UTF-8 bytes
        using var content = new RawMultipart()
            .Part($"form-data; name=\"fileName\"; filename=\"fallback.pdf\"; filename*=UTF-8''{encoded}", [42])
            .Build();

        using var response = await host.Client.PostAsync(TestIds.UploadPath(), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(name, Assert.Single(await host.ListAsync()).GetProperty("fileName").GetString());
        Assert.Equal([42], (await host.DownloadAsync())["Accounting/" + name]);
    }

    [Fact]
    public async Task Quoted_filename_with_escaped_quotes_and_backslash_round_trips()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        using var content = new RawMultipart()
            .Part("form-data; name=\"file\"; filename=\"say \\\"hi\\\" now.csv\"", [1])
            .Build();

        using var response = await host.Client.PostAsync(TestIds.UploadPath(), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("say \"hi\" now.csv", Assert.Single(await host.ListAsync()).GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task HttpClient_non_ascii_names_round_trip()
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var response = await host.UploadAsync(("file", "Café €.xlsx", [5]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Café €.xlsx", Assert.Single(await host.ListAsync()).GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task Path_like_names_are_listed_exactly_but_cannot_escape_the_zip_folder_or_the_store()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        using var content = new RawMultipart()
            .Part("form-data; name=\"file\"; filename=\"../../escape.pdf\"", [1])
            .Build();

        using var response = await host.Client.PostAsync(TestIds.UploadPath(), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("../../escape.pdf", Assert.Single(await host.ListAsync()).GetProperty("fileName").GetString());
        Assert.Equal(["Accounting/.._.._escape.pdf"], (await host.DownloadAsync()).Keys);
        Assert.False(File.Exists(Path.Combine(host.Server.DataDirectory, "..", "escape.pdf")));
    }
}
