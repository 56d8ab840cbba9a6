using System.Net;
using System.Net.Http.Json;
using CodatFiles.Emulator.Tests.Support;

namespace CodatFiles.Emulator.Tests;

/// <summary>The control endpoints take only the emulator's control token; the API key and anonymous calls are refused.</summary>
public sealed class ControlTokenTests
{
    public static TheoryData<string?> RefusedWithoutToken => new()
    {
        null,                       // no Authorization header
        "Basic dGVzdA==",           // another scheme
        "Bearer",                   // the scheme without a token
    };

    [Theory]
    [MemberData(nameof(RefusedWithoutToken))]
    public async Task Without_the_token_a_control_call_gets_401_and_changes_nothing(string? authorization)
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var refused = await SendFaultAsync(host, authorization);

        var body = await CodatErrorAssert.HasCodatErrorAsync(refused, HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", body.GetProperty("error").GetString());
        Assert.Equal("Bearer", Assert.Single(refused.Headers.WwwAuthenticate).Scheme);
        using var list = await host.Client.GetAsync(TestIds.ListPath()); // no fault was stored
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task A_wrong_token_or_the_api_key_gets_403_and_changes_nothing()
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var wrong = await SendFaultAsync(host, "Bearer " + EmulatorOptions.NewControlToken());
        using var apiKey = await SendFaultAsync(host, "Bearer " + host.Server.Options.ApiKey);

        await CodatErrorAssert.HasCodatErrorAsync(wrong, HttpStatusCode.Forbidden);
        await CodatErrorAssert.HasCodatErrorAsync(apiKey, HttpStatusCode.Forbidden);
        using var list = await host.Client.GetAsync(TestIds.ListPath());
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task The_right_token_steers_the_emulator()
    {
        await using var host = await EmulatorTestHost.StartAsync(o => o.ControlToken = "chosen-token");

        using var accepted = await SendFaultAsync(host, "bearer chosen-token"); // the scheme's case does not matter

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        using var list = await host.Client.GetAsync(TestIds.ListPath());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, list.StatusCode);
    }

    [Fact]
    public async Task Every_emulator_gets_its_own_random_token_and_health_needs_none()
    {
        await using var first = await EmulatorTestHost.StartAsync();
        await using var second = await EmulatorTestHost.StartAsync();

        Assert.Matches("^[0-9a-f]{32}$", first.Server.Options.ControlToken);
        Assert.NotEqual(first.Server.Options.ControlToken, second.Server.Options.ControlToken);
        using var crossed = await SendFaultAsync(second, "Bearer " + first.Server.Options.ControlToken);
        Assert.Equal(HttpStatusCode.Forbidden, crossed.StatusCode);
        using var health = await first.Anonymous.GetAsync("_emulator/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task An_empty_token_is_refused_at_start()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => EmulatorServer.StartAsync(new EmulatorOptions { ControlToken = " " }));
    }

    private static async Task<HttpResponseMessage> SendFaultAsync(EmulatorTestHost host, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "_emulator/faults")
        {
            Content = JsonContent.Create(new { operation = "list-files", kind = "status", status = 503 }),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return await host.Anonymous.SendAsync(request);
    }
}
