using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Security.Authentication;
using CodatFiles.Client.Internal;

namespace CodatFiles.Client.Tests;

/// <summary>
/// The handler a client owns: TLS versions and connections per server chosen on the handler itself (not through
/// the process-wide ServicePointManager), and the proxy options with Invoke-RestMethod's meaning, seen from a
/// loopback server standing in as the proxy.
/// </summary>
public sealed class HttpHandlerTests
{
    private static readonly Guid Company = Guid.Parse("8a210b68-6988-11ed-a1eb-0242ac120002");

    [Theory]
    [InlineData(true, true, 10, 17763, SslProtocols.Tls12)]              // Windows Server 2019: no TLS 1.3 in SChannel
    [InlineData(true, true, 10, 20348, SslProtocols.Tls12 | TlsPolicy.Tls13)] // Windows Server 2022
    [InlineData(true, true, 10, 22631, SslProtocols.Tls12 | TlsPolicy.Tls13)] // Windows 11
    [InlineData(true, true, 6, 9600, SslProtocols.Tls12)]                // Windows Server 2012 R2
    [InlineData(false, true, 10, 17763, SslProtocols.None)]              // .NET: the OS's choice
    [InlineData(false, false, 6, 8, SslProtocols.None)]
    public void Tls_policy_asks_net_framework_for_tls12_and_tls13_where_windows_has_it(bool netFramework, bool windows, int major, int build, SslProtocols expected)
    {
        Assert.Equal(expected, TlsPolicy.For(netFramework, windows, new Version(major, 0, build)));
    }

    [Fact]
    public void The_handler_sets_tls_and_connections_itself_and_leaves_service_point_manager_alone()
    {
#pragma warning disable SYSLIB0014 // ServicePointManager is read only to prove it is left alone.
        var protocolsBefore = ServicePointManager.SecurityProtocol;
        var limitBefore = ServicePointManager.DefaultConnectionLimit;
        using var handler = HttpHandlerFactory.Create(CodatProxyOptions.System);
        using var client = new CodatFilesClient(new CodatClientOptions { ApiKey = "key", ServerUrl = new Uri("http://127.0.0.1:1") });

        Assert.Equal(TlsPolicy.ForCurrentProcess(), handler.SslProtocols);
        Assert.True(handler.MaxConnectionsPerServer >= 100, $"only {handler.MaxConnectionsPerServer} connections per server");
        Assert.True(handler.UseProxy);
        Assert.Null(handler.Proxy); // the system or environment proxy
        Assert.Equal(protocolsBefore, ServicePointManager.SecurityProtocol);
        Assert.Equal(limitBefore, ServicePointManager.DefaultConnectionLimit);
#pragma warning restore SYSLIB0014
    }

    [Fact]
    public void No_proxy_turns_the_proxy_off_and_default_credentials_are_the_current_users()
    {
        using var none = HttpHandlerFactory.Create(CodatProxyOptions.None);
        Assert.False(none.UseProxy);

        using var withDefault = HttpHandlerFactory.Create(CodatProxyOptions.Through(new Uri("http://127.0.0.1:3128"), useDefaultCredentials: true));
        var proxy = Assert.IsType<WebProxy>(withDefault.Proxy);
        Assert.Same(CredentialCache.DefaultCredentials, proxy.Credentials);
        Assert.Throws<ArgumentException>(() => CodatProxyOptions.Through(new Uri("http://127.0.0.1:3128"), new NetworkCredential("u", "p"), useDefaultCredentials: true));
    }

    [Fact]
    public async Task An_explicit_proxy_receives_every_request_and_gets_its_credential_after_a_challenge()
    {
        var seen = new ConcurrentQueue<LoopbackRequest>();
        var expected = "Basic " + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("proxy-user:proxy-secret"));
        await using var proxy = LoopbackHttpServer.Start(request =>
        {
            seen.Enqueue(request);
            if (request.Header("Proxy-Authorization") != expected)
            {
                return new LoopbackResponse(407, "Proxy Authentication Required", Headers: new Dictionary<string, string> { ["Proxy-Authenticate"] = "Basic realm=\"test\"" });
            }
            return new LoopbackResponse(200, "OK", "[]", new Dictionary<string, string> { ["Content-Type"] = "application/json" });
        });
        // The "server" is a loopback address nobody listens on: only the proxy can answer.
        using var client = new CodatFilesClient(new CodatClientOptions
        {
            ApiKey = "key",
            ServerUrl = new Uri("http://127.0.0.1:9/"),
            Proxy = CodatProxyOptions.Through(proxy.BaseUrl, new NetworkCredential("proxy-user", "proxy-secret")),
            Retry = new CodatRetryOptions { MaxRetryAttempts = 0 },
        });

        var files = await client.ListFilesAsync(Company);

        Assert.Empty(files);
        var requests = seen.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.All(requests, r => Assert.Equal($"http://127.0.0.1:9/companies/{Company}/files", r.Path));
        Assert.Null(requests[0].Header("Proxy-Authorization"));
        Assert.Equal(expected, requests[1].Header("Proxy-Authorization"));
    }

    [Fact]
    public async Task No_proxy_goes_straight_to_the_server()
    {
        var seen = new ConcurrentQueue<LoopbackRequest>();
        await using var server = LoopbackHttpServer.Start(request =>
        {
            seen.Enqueue(request);
            return new LoopbackResponse(200, "OK", "[]", new Dictionary<string, string> { ["Content-Type"] = "application/json" });
        });
        using var client = new CodatFilesClient(new CodatClientOptions { ApiKey = "key", ServerUrl = server.BaseUrl, Proxy = CodatProxyOptions.None });

        await client.ListFilesAsync(Company);

        Assert.Equal($"/companies/{Company}/files", Assert.Single(seen).Path);
    }
}
