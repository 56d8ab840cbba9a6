using System;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http;
using System.Security.Authentication;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// The handler a client owns: its TLS versions, connections per server and proxy, and no automatic redirects
    /// (a followed 302 turns an upload POST into a GET of some page, whose 200 is no upload; the client reports a
    /// 3xx as an error naming its Location instead).
    /// </summary>
    internal static class HttpHandlerFactory
    {
        /// <summary>
        /// Connections the handler opens to one server. .NET Framework allows only 2 by default, which would
        /// silently serialise a module call's concurrent transfers; this is well above the module's largest
        /// -ThrottleLimit and its overall cap of requests in flight across companies.
        /// </summary>
        public const int MaxConnectionsPerServer = 128;

        public static HttpClientHandler Create(CodatProxyOptions proxy)
        {
            var handler = new HttpClientHandler { MaxConnectionsPerServer = MaxConnectionsPerServer, AllowAutoRedirect = false };
            ApplyTls(handler, TlsPolicy.ForCurrentProcess());
            ApplyProxy(handler, proxy ?? CodatProxyOptions.System);
            return handler;
        }

        [SuppressMessage("Security", "CA5397:Do not use deprecated SslProtocols values", Justification =
            "False positive: the mask ~Tls13 only removes TLS 1.3 from what TlsPolicy chose (None, Tls12 or " +
            "Tls12 | Tls13); no deprecated version can be set.")]
        private static void ApplyTls(HttpClientHandler handler, SslProtocols protocols)
        {
            try
            {
                handler.SslProtocols = protocols;
            }
            catch (Exception e) when ((e is NotSupportedException || e is ArgumentException) && (protocols & TlsPolicy.Tls13) != 0)
            {
                // A framework that does not know TLS 1.3 after all: TLS 1.2 alone is still what matters.
                handler.SslProtocols = protocols & ~TlsPolicy.Tls13;
            }
        }

        private static void ApplyProxy(HttpClientHandler handler, CodatProxyOptions proxy)
        {
            switch (proxy.Mode)
            {
                case CodatProxyMode.None:
                    handler.UseProxy = false;
                    break;
                case CodatProxyMode.Explicit:
                    handler.UseProxy = true;
                    // As Invoke-RestMethod -Proxy: local addresses go through it too.
                    handler.Proxy = new WebProxy(proxy.Address!)
                    {
                        BypassProxyOnLocal = false,
                        UseDefaultCredentials = proxy.UseDefaultCredentials,
                        Credentials = proxy.UseDefaultCredentials ? CredentialCache.DefaultCredentials : proxy.Credential,
                    };
                    break;
                default:
                    // The handler's default: the system or environment proxy.
                    break;
            }
        }
    }
}
