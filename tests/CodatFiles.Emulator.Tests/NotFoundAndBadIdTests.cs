using System.Net;
using CodatFiles.Emulator.Tests.Support;

namespace CodatFiles.Emulator.Tests;

public sealed class NotFoundAndBadIdTests
{
    [Theory]
    [InlineData("list")]
    [InlineData("download")]
    [InlineData("upload")]
    public async Task Unknown_company_gets_404_from_ClientsApi(string operation)
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var response = operation switch
        {
            "list" => await host.Client.GetAsync(TestIds.ListPath(TestIds.UnknownCompany)),
            "download" => await host.Client.GetAsync(TestIds.DownloadPath(TestIds.UnknownCompany)),
            _ => await host.UploadAsync(TestIds.UploadPath(TestIds.UnknownCompany), ("file", "a.pdf", [1])),
        };

        var body = await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.NotFound);
        Assert.Equal($"No company was found with ID {TestIds.UnknownCompany}", body.GetProperty("error").GetString());
        Assert.Equal("ClientsApi", body.GetProperty("service").GetString());
    }

    [Fact]
    public async Task Unknown_connection_gets_404_from_PublicApi()
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var response = await host.UploadAsync(TestIds.UploadPath(connection: TestIds.UnknownConnection), ("file", "a.pdf", [1]));

        var body = await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.NotFound);
        Assert.Equal($"Data connection {TestIds.UnknownConnection} not found", body.GetProperty("error").GetString());
        Assert.Equal("PublicApi", body.GetProperty("service").GetString());
    }

    [Theory]
    [InlineData("companies/not-a-guid/files")]
    [InlineData("companies/not-a-guid/files/download")]
    [InlineData("companies/8a210b68-6988-11ed-a1eb-0242ac120002/connections/123/files")]
    public async Task Malformed_guid_gets_400(string path)
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var response = path.Contains("connections")
            ? await host.UploadAsync(path, ("file", "a.pdf", [1]))
            : await host.Client.GetAsync(path);

        var body = await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("not a valid GUID", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("DELETE", "companies/8a210b68-6988-11ed-a1eb-0242ac120002/files", "GET")]
    [InlineData("POST", "companies/8a210b68-6988-11ed-a1eb-0242ac120002/files/download", "GET")]
    [InlineData("GET", "companies/8a210b68-6988-11ed-a1eb-0242ac120002/connections/2e9d2c44-f675-40ba-8049-353bfcb5e171/files", "POST")]
    [InlineData("PATCH", "companies/not-a-guid/files", "GET")]
    public async Task Wrong_method_on_a_known_path_gets_405_with_allow(string method, string path, string allowed)
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        var body = await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.Equal(allowed, string.Join(", ", response.Content.Headers.Allow));
        Assert.Equal($"{method} is not supported on /{path}; use {allowed}.", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("companies")]
    [InlineData("companies/8a210b68-6988-11ed-a1eb-0242ac120002/files/report.pdf")] // looks like a file name
    [InlineData("companies/8a210b68-6988-11ed-a1eb-0242ac120002/connections/files")]
    public async Task Unknown_path_gets_a_codat_404(string path)
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var response = await host.Client.DeleteAsync(path);

        var body = await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.NotFound);
        Assert.Equal($"No resource matches DELETE /{path}.", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Correlation_id_is_new_for_every_error()
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var first = await host.Anonymous.GetAsync(TestIds.ListPath());
        using var second = await host.Anonymous.GetAsync(TestIds.ListPath());

        var a = await CodatErrorAssert.HasCodatErrorAsync(first, HttpStatusCode.Unauthorized);
        var b = await CodatErrorAssert.HasCodatErrorAsync(second, HttpStatusCode.Unauthorized);
        Assert.NotEqual(a.GetProperty("correlationId").GetString(), b.GetProperty("correlationId").GetString());
    }
}

public sealed class EarlyRejectionTests
{
    [Theory]
    [InlineData(false, "a22dd66b-0000-4f0a-9c1d-1234567890ab")] // unknown connection → 404
    [InlineData(true, "2e9d2c44-f675-40ba-8049-353bfcb5e171")]  // no credentials → 401
    public async Task Large_upload_rejected_before_its_body_is_read_still_gets_a_clean_answer(bool anonymous, string connection)
    {
        // The client is still sending when the answer is ready; it must see the status, not a broken connection.
        await using var host = await EmulatorTestHost.StartAsync();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[8 * 1024 * 1024]), "file", "big.pdf" } };

        using var response = await (anonymous ? host.Anonymous : host.Client).PostAsync(TestIds.UploadPath(connection: connection), form);

        Assert.Equal(anonymous ? System.Net.HttpStatusCode.Unauthorized : System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
