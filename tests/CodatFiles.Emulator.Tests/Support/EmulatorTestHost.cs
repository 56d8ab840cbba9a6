using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CodatFiles.Emulator.Tests.Support;

/// <summary>
/// An emulator on loopback plus plain HttpClients to reach it: one authorised for the API, one without credentials, and
/// one with the control token for <c>/_emulator/*</c>.
/// </summary>
internal sealed class EmulatorTestHost : IAsyncDisposable
{
    private EmulatorTestHost(EmulatorServer server)
    {
        Server = server;
        Anonymous = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        Client = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Authorization = BasicAuth(server.Options.ApiKey);
        Control = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        Control.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Options.ControlToken);
    }

    public EmulatorServer Server { get; }

    /// <summary>Sends the right Authorization header.</summary>
    public HttpClient Client { get; }

    /// <summary>Sends no Authorization header.</summary>
    public HttpClient Anonymous { get; }

    /// <summary>Sends the control token (its random default), for the control endpoints.</summary>
    public HttpClient Control { get; }

    public static async Task<EmulatorTestHost> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { ApiKey = "test-key-" + Guid.NewGuid().ToString("N") };
        configure?.Invoke(options);
        return new EmulatorTestHost(await EmulatorServer.StartAsync(options));
    }

    public static AuthenticationHeaderValue BasicAuth(string key) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key)));

    public Task<HttpResponseMessage> UploadAsync(params (string Field, string FileName, byte[] Content)[] files) =>
        UploadAsync(TestIds.UploadPath(), files);

    public async Task<HttpResponseMessage> UploadAsync(string path, params (string Field, string FileName, byte[] Content)[] files)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (field, fileName, content) in files)
        {
            form.Add(new ByteArrayContent(content), field, fileName);
        }
        return await Client.PostAsync(path, form);
    }

    public async Task<JsonElement[]> ListAsync(string company = TestIds.Company)
    {
        using var response = await Client.GetAsync(TestIds.ListPath(company));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.EnumerateArray().ToArray();
    }

    public async Task<Dictionary<string, byte[]>> DownloadAsync(string company = TestIds.Company, string? date = null)
    {
        using var response = await Client.GetAsync(TestIds.DownloadPath(company, date));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        return ZipContents.Read(await response.Content.ReadAsByteArrayAsync());
    }

    public async Task ControlAsync(HttpMethod method, string path, object? body = null, System.Net.HttpStatusCode expected = System.Net.HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, "_emulator/" + path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await Control.SendAsync(request);
        Assert.True(response.StatusCode == expected || (int)response.StatusCode / 100 == 2 && (int)expected / 100 == 2,
            $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public Task AddFaultAsync(object fault) => ControlAsync(HttpMethod.Post, "faults", fault, System.Net.HttpStatusCode.Created);

    public Task SetClockAsync(string now) => ControlAsync(HttpMethod.Post, "clock", new { now });

    public async Task<JsonElement[]> RequestLogAsync()
    {
        var json = await Control.GetFromJsonAsync<JsonElement>("_emulator/requests");
        return json.EnumerateArray().ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        Control.Dispose();
        await Server.DisposeAsync();
    }
}
