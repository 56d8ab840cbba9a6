using System;

namespace CodatFiles.Client
{
    /// <summary>
    /// Connection settings of one <see cref="CodatFilesClient"/>: where to send requests, the key to send, and the
    /// default retry policy. One client (and so one HttpClient) is meant to live per distinct set of these settings.
    /// </summary>
    public sealed class CodatClientOptions
    {
        /// <summary>Codat's production API.</summary>
        public static readonly Uri DefaultServerUrl = new Uri("https://api.codat.io");

        /// <summary>Base URL of the API (production Codat or a local emulator).</summary>
        public Uri ServerUrl { get; set; } = DefaultServerUrl;

        /// <summary>
        /// The raw API key as shown in Codat's portal. The client sends <c>Authorization: Basic base64(key)</c>.
        /// The client never writes it into a message, ToString() or trace, and masks it wherever it quotes a server
        /// (error bodies, reason phrases, Location headers, retry reasons): the <c>Basic</c> header value always;
        /// the key, its base64 and its base64url (with or without padding, and any of them percent-encoded) when
        /// that form is 8 characters or longer (shorter ones would mangle ordinary words, so are masked only where
        /// they stand alone in a header value).
        /// </summary>
        public string ApiKey { get; set; } = string.Empty;

        /// <summary>Default retry and timeout policy for every call made by the client.</summary>
        public CodatRetryOptions Retry { get; set; } = new CodatRetryOptions();

        /// <summary>The proxy of the client's own handler: the system or environment proxy by default.</summary>
        public CodatProxyOptions Proxy { get; set; } = CodatProxyOptions.System;

        /// <summary>Value of the User-Agent header; callers such as the PowerShell module add their own product token.</summary>
        public string? UserAgent { get; set; }

        /// <summary>
        /// The client's one clock: retry waits, the call's MaxElapsedTime budget, PerAttemptTimeout, durations of
        /// HTTP exchanges and the local times it stamps. <see cref="System.TimeProvider.System"/> by default; a test
        /// gives a fake one to run retries and timeouts without waiting. Read once, when the client is created.
        /// </summary>
        public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

        /// <summary>
        /// Why <paramref name="serverUrl"/> cannot be used, or null when it can: it must be an absolute https URL,
        /// or plain http to a loopback host (127.0.0.0/8, ::1 or localhost, e.g. the emulator), because over plain
        /// http to anywhere else the Basic key would travel in clear. The client refuses such a URL when created.
        /// </summary>
        public static string? ServerUrlProblem(Uri? serverUrl)
        {
            if (serverUrl is null || !serverUrl.IsAbsoluteUri || string.IsNullOrEmpty(serverUrl.Host) ||
                (serverUrl.Scheme != Uri.UriSchemeHttp && serverUrl.Scheme != Uri.UriSchemeHttps))
            {
                return "it is not an absolute http or https URL";
            }

            // Codat authenticates with the key alone: a user name or password in the URL would be sent nowhere, and
            // would show wherever the URL is shown.
            if (!string.IsNullOrEmpty(serverUrl.UserInfo))
            {
                return "it carries a user name or password (the part before '@'), which Codat does not use: the API key is its only credential; remove it";
            }

            return serverUrl.Scheme == Uri.UriSchemeHttp && !IsLoopback(serverUrl)
                ? "plain http is only allowed to a loopback host (127.0.0.0/8, ::1, localhost): elsewhere the API key would travel unencrypted; use https"
                : null;
        }

        private static bool IsLoopback(Uri url) =>
            string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase) ||
            (System.Net.IPAddress.TryParse(url.DnsSafeHost, out var address) && System.Net.IPAddress.IsLoopback(address));

        /// <summary>Shows the server only (without any user info): the key must never end up in logs.</summary>
        public override string ToString() =>
            $"CodatClientOptions(ServerUrl={(ServerUrl is null ? null : Internal.SecretRedactor.WithoutUserInfo(ServerUrl.OriginalString))}, ApiKey=***)";
    }
}
