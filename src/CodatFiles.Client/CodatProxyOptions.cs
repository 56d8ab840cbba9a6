using System;
using System.Net;

namespace CodatFiles.Client
{
    /// <summary>How requests reach the server: <see cref="CodatProxyMode"/>.</summary>
    public enum CodatProxyMode
    {
        /// <summary>The system or environment proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY; the OS settings on Windows).</summary>
        System,

        /// <summary>Straight to the server, whatever the system or environment says (Invoke-RestMethod -NoProxy).</summary>
        None,

        /// <summary>Through <see cref="CodatProxyOptions.Address"/> (Invoke-RestMethod -Proxy).</summary>
        Explicit,
    }

    /// <summary>The proxy of a <see cref="CodatFilesClient"/>, with Invoke-RestMethod's meaning of -Proxy, -ProxyCredential,
    /// -ProxyUseDefaultCredentials and -NoProxy. Immutable; create with <see cref="Through"/> or use <see cref="System"/> / <see cref="None"/>.</summary>
    public sealed class CodatProxyOptions
    {
        private CodatProxyOptions(CodatProxyMode mode, Uri? address, NetworkCredential? credential, bool useDefaultCredentials)
        {
            Mode = mode;
            Address = address;
            Credential = credential;
            UseDefaultCredentials = useDefaultCredentials;
        }

        /// <summary>The system or environment proxy: the default.</summary>
        public static CodatProxyOptions System { get; } = new CodatProxyOptions(CodatProxyMode.System, null, null, false);

        /// <summary>No proxy at all.</summary>
        public static CodatProxyOptions None { get; } = new CodatProxyOptions(CodatProxyMode.None, null, null, false);

        /// <summary>
        /// Every request through the proxy at <paramref name="address"/> (loopback servers too, as with Invoke-RestMethod),
        /// answering its authentication challenge with <paramref name="credential"/>, or with the current user's
        /// credentials when <paramref name="useDefaultCredentials"/> is set (not both). A user name and password in
        /// the address (http://user:password@proxy:3128, percent-encoded as URLs need) are that credential instead,
        /// as curl and HTTPS_PROXY read them: the address keeps no user info, so it never shows in a message.
        /// </summary>
        public static CodatProxyOptions Through(Uri address, NetworkCredential? credential = null, bool useDefaultCredentials = false)
        {
            if (address is null) throw new ArgumentNullException(nameof(address));
            if (!address.IsAbsoluteUri)
            {
                throw new ArgumentException($"The proxy address must be an absolute URL; got '{Internal.SecretRedactor.WithoutUserInfo(address.OriginalString)}'.", nameof(address));
            }
            if (!string.IsNullOrEmpty(address.UserInfo))
            {
                if (credential != null || useDefaultCredentials)
                {
                    throw new ArgumentException("The proxy address carries a user name and password, and another credential was given too: give one.", nameof(credential));
                }
                credential = CredentialOf(address.UserInfo);
                address = new UriBuilder(address) { UserName = string.Empty, Password = string.Empty }.Uri;
            }
            if (credential != null && useDefaultCredentials)
            {
                throw new ArgumentException("Give the proxy either a credential or the current user's credentials, not both.", nameof(credential));
            }
            return new CodatProxyOptions(CodatProxyMode.Explicit, address, credential, useDefaultCredentials);
        }

        /// <summary>"user:password" of a URL (each part percent-decoded) as a credential; a missing password is empty.</summary>
        private static NetworkCredential CredentialOf(string userInfo)
        {
            var colon = userInfo.IndexOf(':');
            var user = colon < 0 ? userInfo : userInfo.Substring(0, colon);
            var password = colon < 0 ? string.Empty : userInfo.Substring(colon + 1);
            return new NetworkCredential(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
        }

        /// <summary>Which kind of proxy applies.</summary>
        public CodatProxyMode Mode { get; }

        /// <summary>The proxy's address when <see cref="Mode"/> is <see cref="CodatProxyMode.Explicit"/>.</summary>
        public Uri? Address { get; }

        /// <summary>What answers the proxy's authentication challenge, if anything.</summary>
        public NetworkCredential? Credential { get; }

        /// <summary>Whether the current user's credentials answer the proxy's authentication challenge.</summary>
        public bool UseDefaultCredentials { get; }

        /// <summary>Shows the mode and address only: the proxy password must never end up in logs.</summary>
        public override string ToString() => Mode == CodatProxyMode.Explicit ? $"Proxy {Address}" : $"Proxy {Mode}";
    }
}
