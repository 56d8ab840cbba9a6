using System.Net;
using System.Net.Http.Json;
using System.Text;
using CodatFiles.Emulator.Tests.Support;

namespace CodatFiles.Emulator.Tests;

/// <summary>echoKey: a status or redirect fault quotes the key the request sent, in shapes a plain search would miss.</summary>
public sealed class EchoKeyFaultTests
{
    private const string Key = "k3y-&?/?>>Ky?&";

    [Fact]
    public async Task A_redirect_fault_puts_the_sent_key_url_encoded_and_as_unpadded_base64url_into_its_location()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.AddFaultAsync(new { operation = "list-files", kind = "redirect", echoKey = true });
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.Server.BaseUrl };
        client.DefaultRequestHeaders.Authorization = EmulatorTestHost.BasicAuth(Key);

        using var response = await client.GetAsync(TestIds.ListPath());

        var base64Url = Convert.ToBase64String(Encoding.UTF8.GetBytes(Key)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.EndsWith($"/sign-in?key={Uri.EscapeDataString(Key)}&token={base64Url}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_status_fault_ends_its_message_with_the_sent_key_as_unpadded_base64_and_lower_case_percent_encoding()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.AddFaultAsync(new { operation = "list-files", kind = "status", status = 503, echoKey = true });
        await host.AddFaultAsync(new { operation = "list-files", kind = "status", status = 503 });
        using var client = new HttpClient { BaseAddress = host.Server.BaseUrl };
        client.DefaultRequestHeaders.Authorization = EmulatorTestHost.BasicAuth(Key);

        using var echoing = await client.GetAsync(TestIds.ListPath());
        using var plain = await client.GetAsync(TestIds.ListPath());

        var echoed = (await CodatErrorAssert.HasCodatErrorAsync(echoing, HttpStatusCode.ServiceUnavailable)).GetProperty("error").GetString();
        var percent = string.Concat(Encoding.UTF8.GetBytes(Key).Select(b => $"%{b:x2}"));
        Assert.EndsWith($" (request key {Convert.ToBase64String(Encoding.UTF8.GetBytes(Key)).TrimEnd('=')}, {percent})", echoed);
        var notEchoed = (await CodatErrorAssert.HasCodatErrorAsync(plain, HttpStatusCode.ServiceUnavailable)).GetProperty("error").GetString();
        Assert.DoesNotContain("request key", notEchoed);
    }

    [Fact]
    public async Task Echo_key_is_refused_for_kinds_that_quote_nothing()
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var response = await host.Control.PostAsJsonAsync("_emulator/faults", new { kind = "delay", delayMs = 1, echoKey = true });

        var body = await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("echoKey applies to status and redirect faults only.", body.GetProperty("error").GetString());
    }
}
