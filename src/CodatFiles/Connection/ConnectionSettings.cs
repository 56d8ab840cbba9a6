using System;
using System.Security;
using CodatFiles.Client;

namespace CodatFiles.Connection
{
    /// <summary>Where a cmdlet's calls go, with which key and retry policy: the outcome of <see cref="ConnectionSettingsResolver"/>.</summary>
    internal sealed class ConnectionSettings
    {
        public ConnectionSettings(Uri serverUrl, SecureString apiKey, CodatRetryOptions retry, CodatProxyOptions proxy)
        {
            ServerUrl = serverUrl;
            ApiKey = apiKey;
            Retry = retry;
            Proxy = proxy;
        }

        public Uri ServerUrl { get; }

        /// <summary>Kept as a SecureString; it becomes plain text only when a new client has to be created.</summary>
        public SecureString ApiKey { get; }

        public CodatRetryOptions Retry { get; }

        public CodatProxyOptions Proxy { get; }
    }
}
