using System;
using System.Management.Automation;
using System.Net;
using CodatFiles.Client;
using CodatFiles.Errors;

namespace CodatFiles.Connection
{
    /// <summary>
    /// -Proxy, -ProxyCredential, -ProxyUseDefaultCredentials and -NoProxy as one cmdlet call gave them, with
    /// Invoke-RestMethod's rules: the credential switches need -Proxy, they exclude each other, and -NoProxy excludes
    /// -Proxy. Without -Proxy or -NoProxy the call states no proxy, and Connect-Codat's (else the system's) applies.
    /// </summary>
    internal sealed class ProxyParameters
    {
        public ProxyParameters(Uri? proxy, PSCredential? proxyCredential, bool useDefaultCredentials, bool noProxy)
        {
            Proxy = proxy;
            ProxyCredential = proxyCredential;
            UseDefaultCredentials = useDefaultCredentials;
            NoProxy = noProxy;
        }

        public Uri? Proxy { get; }

        public PSCredential? ProxyCredential { get; }

        public bool UseDefaultCredentials { get; }

        public bool NoProxy { get; }

        /// <summary>
        /// The proxy these parameters choose (a user name and password in the -Proxy URL become its credential, as
        /// -ProxyCredential would give it; the address then keeps no user info), or null when they choose none (then the session's or the system's
        /// applies). Throws <see cref="CodatSettingsException"/> for a combination Invoke-RestMethod refuses too.
        /// </summary>
        public CodatProxyOptions? ToOptions()
        {
            if (NoProxy && Proxy != null) throw Invalid("-NoProxy and -Proxy cannot be used together.");
            if (ProxyCredential != null && UseDefaultCredentials)
            {
                throw Invalid("-ProxyCredential and -ProxyUseDefaultCredentials cannot be used together.");
            }
            if (Proxy == null && (ProxyCredential != null || UseDefaultCredentials))
            {
                throw Invalid("-ProxyCredential and -ProxyUseDefaultCredentials need -Proxy: they are the proxy's credentials.");
            }
            if (NoProxy) return CodatProxyOptions.None;
            if (Proxy == null) return null;
            if (!Proxy.IsAbsoluteUri || (Proxy.Scheme != Uri.UriSchemeHttp && Proxy.Scheme != Uri.UriSchemeHttps))
            {
                throw Invalid($"The proxy '{UrlText.Of(Proxy)}' is not an absolute http or https URL.");
            }
            if (!string.IsNullOrEmpty(Proxy.UserInfo) && (ProxyCredential != null || UseDefaultCredentials))
            {
                throw Invalid("The -Proxy URL carries a user name and password (user:password@), and -ProxyCredential or " +
                              "-ProxyUseDefaultCredentials was given too: give the proxy's credentials once.");
            }
            var credential = ProxyCredential == null
                ? null
                : new NetworkCredential(ProxyCredential.UserName, ProxyCredential.Password);
            return CodatProxyOptions.Through(Proxy, credential, UseDefaultCredentials);
        }

        /// <summary>Tells proxies apart in the client cache without keeping a password in the key.</summary>
        public static string Fingerprint(CodatProxyOptions proxy)
        {
            if (proxy.Mode != CodatProxyMode.Explicit) return proxy.Mode.ToString();
            var credential = proxy.Credential == null
                ? "-"
                : proxy.Credential.UserName + ":" + proxy.Credential.SecurePassword.Fingerprint();
            return $"{proxy.Address!.AbsoluteUri}|{credential}|{proxy.UseDefaultCredentials}";
        }

        private static CodatSettingsException Invalid(string message) =>
            new CodatSettingsException(ErrorRecordFactory.InvalidProxySettings(message));
    }
}
