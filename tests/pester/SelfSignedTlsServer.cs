using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace CodatFilesTests
{
    /// <summary>
    /// An https server on 127.0.0.1 with a self-signed certificate made here (for 127.0.0.1, so only its issuer is
    /// wrong): it counts the connections that began a TLS handshake and serves nothing else, for the Pester suites
    /// to see that a rejected certificate is not retried.
    /// </summary>
    public sealed class SelfSignedTlsServer : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly X509Certificate2 _certificate;
        private int _connections;

        public SelfSignedTlsServer()
        {
            _certificate = CreateCertificate();
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            Task.Run(AcceptLoop);
        }

        public int Port { get; }

        public string Url => "https://127.0.0.1:" + Port;

        public int Connections => Volatile.Read(ref _connections);

        public void Dispose()
        {
            _listener.Stop();
            _certificate.Dispose();
        }

        private async Task AcceptLoop()
        {
            while (true)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false); }
                catch (Exception) { return; }
                Interlocked.Increment(ref _connections);
                _ = Task.Run(() => Handshake(client));
            }
        }

        private async Task Handshake(TcpClient client)
        {
            using (client)
            using (var tls = new SslStream(client.GetStream()))
            {
                try { await tls.AuthenticateAsServerAsync(_certificate).ConfigureAwait(false); }
                catch (Exception) { /* the client refused the certificate: that is the point */ }
            }
        }

        private static X509Certificate2 CreateCertificate()
        {
            using (var key = RSA.Create(2048))
            {
                var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                var names = new SubjectAlternativeNameBuilder();
                names.AddIpAddress(IPAddress.Loopback);
                request.CertificateExtensions.Add(names.Build());
                using (var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)))
                {
                    // Through PFX, so SslStream can use the private key on every platform. The constructor is obsolete
                    // (SYSLIB0057) on .NET 9+, but its replacement, X509CertificateLoader, is missing from .NET 8, which
                    // the suite's run on PowerShell 7.4 (-PowerShellVersion 7.4) compiles this file against.
#pragma warning disable SYSLIB0057
                    return new X509Certificate2(created.Export(X509ContentType.Pfx), (string)null, X509KeyStorageFlags.Exportable);
#pragma warning restore SYSLIB0057
                }
            }
        }
    }
}
