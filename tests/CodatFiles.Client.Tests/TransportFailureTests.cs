using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CodatFiles.Client.Internal;

namespace CodatFiles.Client.Tests;

/// <summary>
/// Failures no retry cures stop after one attempt: a TLS certificate the machine rejects (self-signed, another
/// name, expired), and a proxy's 407 (as an answer, or to the tunnel of an https server). Seen from loopback
/// servers, counting connections and requests rather than time.
/// </summary>
public sealed class TransportFailureTests
{
    private static readonly Guid Company = Guid.Parse("8a210b68-6988-11ed-a1eb-0242ac120002");

    public static TheoryData<string, int, int, string> Certificates() => new()
    {
        // subject name, valid from and to (days from today), what the message must say
        { "127.0.0.1", -1, 1, "not issued by an authority this machine trusts" },
        { "codat.example", -1, 1, "issued for another name than 127.0.0.1" },
        { "127.0.0.1", -10, -2, "expired or is not yet valid" },
    };

    [Theory]
    [MemberData(nameof(Certificates))]
    public async Task A_rejected_certificate_fails_after_one_attempt_naming_the_problem_the_host_and_the_cause(
        string subject, int fromDays, int toDays, string problem)
    {
        using var certificate = SelfSigned(subject, fromDays, toDays);
        await using var server = TlsServer.Start(certificate);
        var retries = 0;
        using var client = new CodatFilesClient(new CodatClientOptions
        {
            ApiKey = "key-of-the-test-1234",
            ServerUrl = new Uri($"https://127.0.0.1:{server.Port}/"),
            Proxy = CodatProxyOptions.None,
            Retry = EmulatorHarness.FastRetry(maxRetries: 4),
        });

        var failure = await Assert.ThrowsAsync<CodatConnectionException>(() =>
            client.ListFilesAsync(Company, new CodatCallOptions { OnRetry = _ => retries++ }));

        Assert.Equal(CodatConnectionProblem.CertificateRejected, failure.Problem);
        Assert.Equal((1, 0, 1), (failure.Attempts, retries, server.Handshakes));
        Assert.Null(failure.GiveUpReason);
        Assert.Contains("TLS certificate of 127.0.0.1 was rejected", failure.Reason);
        Assert.Contains(problem, failure.Reason);
        Assert.Contains("TLS-inspecting proxy", failure.Message);
        Assert.Contains("root certificate must be trusted", failure.Message);
    }

    [Fact]
    public async Task A_refused_connection_is_still_retried_so_the_certificate_rule_is_what_stops_the_call()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nobody listens there now
        using var client = new CodatFilesClient(new CodatClientOptions
        {
            ApiKey = "key-of-the-test-1234",
            ServerUrl = new Uri($"https://127.0.0.1:{port}/"),
            Proxy = CodatProxyOptions.None,
            Retry = EmulatorHarness.FastRetry(maxRetries: 2),
        });

        var failure = await Assert.ThrowsAsync<CodatConnectionException>(() => client.ListFilesAsync(Company));

        Assert.Equal(CodatConnectionProblem.NoAnswer, failure.Problem);
        Assert.Equal(3, failure.Attempts);
    }

    [Fact]
    public async Task A_proxy_answering_407_is_its_own_kind_and_is_not_retried()
    {
        var requests = 0;
        await using var proxy = LoopbackHttpServer.Start(_ =>
        {
            Interlocked.Increment(ref requests);
            return new LoopbackResponse(407, "Proxy Authentication Required",
                Headers: new Dictionary<string, string> { ["Proxy-Authenticate"] = "Basic realm=\"corp\"" });
        });
        using var client = new CodatFilesClient(new CodatClientOptions
        {
            ApiKey = "key-of-the-test-1234",
            ServerUrl = new Uri("http://127.0.0.1:9/"),
            Proxy = CodatProxyOptions.Through(proxy.BaseUrl),
            Retry = EmulatorHarness.FastRetry(maxRetries: 4),
        });

        var failure = await Assert.ThrowsAsync<CodatApiException>(() => client.ListFilesAsync(Company));

        Assert.Equal((407, CodatErrorKind.ProxyAuthenticationRequired, 1, 1), (failure.StatusCode, failure.Kind, failure.Attempts, requests));
        Assert.Contains("asks for credentials", failure.Message);
    }

    [Fact]
    public async Task A_proxy_refusing_the_tunnel_to_an_https_server_with_407_fails_after_one_attempt()
    {
        var seen = new List<string>();
        await using var proxy = LoopbackHttpServer.Start(request =>
        {
            lock (seen) seen.Add(request.Method + " " + request.Path);
            return new LoopbackResponse(407, "Proxy Authentication Required",
                Headers: new Dictionary<string, string> { ["Proxy-Authenticate"] = "Basic realm=\"corp\"" });
        });
        var proxyWithSecret = new UriBuilder(proxy.BaseUrl) { UserName = "alice", Password = "pr0xy-s3cret" }.Uri;
        using var client = new CodatFilesClient(new CodatClientOptions
        {
            ApiKey = "key-of-the-test-1234",
            ServerUrl = new Uri("https://127.0.0.1:9/"),
            Proxy = CodatProxyOptions.Through(proxyWithSecret),
            Retry = EmulatorHarness.FastRetry(maxRetries: 4),
        });

        var failure = await Assert.ThrowsAsync<CodatConnectionException>(() => client.ListFilesAsync(Company));

        Assert.Equal(CodatConnectionProblem.ProxyAuthenticationRequired, failure.Problem);
        Assert.Equal(1, failure.Attempts);
        Assert.All(seen, line => Assert.StartsWith("CONNECT 127.0.0.1:9", line));
        Assert.Contains("407", failure.Reason);
        Assert.DoesNotContain("pr0xy-s3cret", failure.ToString());
        Assert.DoesNotContain("alice", failure.Message);
    }

    [Fact]
    public void Certificate_failures_are_told_apart_from_other_handshake_and_socket_failures()
    {
        var untrusted = new HttpRequestException("The SSL connection could not be established, see inner exception.",
            new System.Security.Authentication.AuthenticationException(
                "The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot"));
        var framework = new HttpRequestException("An error occurred while sending the request.",
            new WebException("Could not establish trust relationship", WebExceptionStatus.TrustFailure));
        var protocol = new HttpRequestException("The SSL connection could not be established.",
            new System.Security.Authentication.AuthenticationException("Authentication failed because the remote party sent a TLS alert: 'HandshakeFailure'."));
        var notFound = new HttpRequestException("Name or service not known", new SocketException((int)SocketError.HostNotFound));

        Assert.True(TransportFailure.IsPermanent(untrusted));
        Assert.True(TransportFailure.IsPermanent(framework));
        Assert.False(TransportFailure.IsPermanent(protocol));
        Assert.False(TransportFailure.IsPermanent(notFound));
        Assert.True(ErrorMapper.IsUnreachable(notFound)); // still under the minute of retries
        Assert.Equal("the TLS certificate of h.example was rejected: it did not pass validation",
            TransportFailure.DescribeCertificateProblem(framework, "h.example"));
    }

    private static X509Certificate2 SelfSigned(string subject, int fromDays, int toDays)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(subject, out var address)) names.AddIpAddress(address);
        else names.AddDnsName(subject);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddDays(fromDays), now.AddDays(toDays));
        // Through PFX, so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    /// <summary>An https server on 127.0.0.1 that only shakes hands: it counts handshakes begun, one per connection.</summary>
    private sealed class TlsServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly X509Certificate2 _certificate;
        private readonly Task _loop;
        private int _handshakes;

        private TlsServer(X509Certificate2 certificate)
        {
            _certificate = certificate;
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _loop = AcceptAsync();
        }

        public int Port { get; }

        public int Handshakes => Volatile.Read(ref _handshakes);

        public static TlsServer Start(X509Certificate2 certificate) => new(certificate);

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try { await _loop; } catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
        }

        private async Task AcceptAsync()
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref _handshakes);
                _ = Task.Run(async () =>
                {
                    using (client)
                    using (var tls = new SslStream(client.GetStream()))
                    {
                        try { await tls.AuthenticateAsServerAsync(_certificate); }
                        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException) { }
                    }
                });
            }
        }
    }
}
