using System.Net;
using System.Net.Http.Headers;
using CodatFiles.Emulator.Tests.Support;

namespace CodatFiles.Emulator.Tests;

public sealed class AuthenticationTests
{
    [Fact]
    public async Task Missing_authorization_gets_401_with_codat_body()
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var response = await host.Anonymous.GetAsync(TestIds.ListPath());

        var body = await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Unauthorized", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("Basic", "wrong-key")]       // another key
    [InlineData("Bearer", "RIGHT")]          // right key, wrong scheme
    [InlineData("basic", "RIGHT")]           // scheme must be exactly "Basic"
    [InlineData("Basic", "RIGHT-unencoded")] // the raw key instead of its Base64
    public async Task Wrong_authorization_gets_401(string scheme, string key)
    {
        await using var host = await EmulatorTestHost.StartAsync();
        var apiKey = host.Server.Options.ApiKey;
        var parameter = key switch
        {
            "RIGHT" => EmulatorTestHost.BasicAuth(apiKey).Parameter,
            "RIGHT-unencoded" => apiKey,
            _ => EmulatorTestHost.BasicAuth(key).Parameter,
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, TestIds.ListPath());
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, parameter);

        using var response = await host.Anonymous.SendAsync(request);

        await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Right_key_is_accepted_including_non_ascii_keys_encoded_as_utf8()
    {
        await using var host = await EmulatorTestHost.StartAsync(o => o.ApiKey = "clé-ünïcode");

        using var response = await host.Client.GetAsync(TestIds.ListPath());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Default_key_is_the_documented_development_key()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions());
        using var client = new HttpClient { BaseAddress = server.BaseUrl };
        client.DefaultRequestHeaders.Authorization = EmulatorTestHost.BasicAuth("codat-emulator-dev-key");

        using var response = await client.GetAsync(TestIds.ListPath());

        Assert.Equal("codat-emulator-dev-key", EmulatorOptions.DevelopmentApiKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("127.0.0.1", server.BaseUrl.Host);
        Assert.EndsWith("/", server.BaseUrl.AbsoluteUri);
    }
}
