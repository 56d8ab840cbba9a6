using System.Collections.Concurrent;
using System.Net.Http;
using CodatFiles.Client;

namespace CodatFiles.Client.Tests;

/// <summary>
/// Expect: 100-continue is turned off on the client's own headers. .NET Framework's HttpClient (Windows PowerShell
/// 5.1) sends it with every POST body by default, which costs each upload a round trip, or a 350 ms stall when no
/// "100 Continue" comes. .NET never sends it, so the wire check here would pass without the setting: the property is
/// what guards 5.1, and what it does on the wire there is not verified (no .NET Framework on the test machines).
/// </summary>
public sealed class ExpectContinueTests
{
    [Fact]
    public void The_client_turns_expect_continue_off_on_its_default_headers()
    {
        using var owned = new CodatFilesClient(new CodatClientOptions { ApiKey = "key", ServerUrl = new Uri("http://127.0.0.1:1") });
        using var handler = new HttpClientHandler();
        using var withHandler = new CodatFilesClient(new CodatClientOptions { ApiKey = "key", ServerUrl = new Uri("http://127.0.0.1:1") }, handler);

        // Null would mean "the platform's default", which on .NET Framework is to send it.
        Assert.False(owned.DefaultRequestHeaders.ExpectContinue);
        Assert.False(withHandler.DefaultRequestHeaders.ExpectContinue);
    }

    [Fact]
    public async Task An_upload_request_carries_no_expect_header()
    {
        var seen = new ConcurrentQueue<LoopbackRequest>();
        await using var server = LoopbackHttpServer.Start(request =>
        {
            seen.Enqueue(request);
            return new LoopbackResponse(200, "OK");
        });
        using var client = new CodatFilesClient(new CodatClientOptions { ServerUrl = server.BaseUrl, ApiKey = EmulatorHarness.ApiKey, Retry = EmulatorHarness.FastRetry(maxRetries: 0) });

        var result = await client.UploadFilesAsync(EmulatorHarness.Company, EmulatorHarness.Connection, new[] { OperationTests.InMemory("a.pdf", 2048) });

        Assert.Equal(2048, result.Bytes);
        var upload = Assert.Single(seen);
        Assert.Equal("POST", upload.Method);
        Assert.Null(upload.Header("Expect"));
    }
}
