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
        /// (error bodies, reason phrases, retry reasons): the <c>Basic</c> header value always, the key and its
        /// base64 when 8 characters or longer (shorter ones would mangle ordinary words, so are masked only where
        /// they stand alone in a header value).
        /// </summary>
        public string ApiKey { get; set; } = string.Empty;

        /// <summary>Default retry and timeout policy for every call made by the client.</summary>
        public CodatRetryOptions Retry { get; set; } = new CodatRetryOptions();

        /// <summary>The proxy of the client's own handler: the system or environment proxy by default.</summary>
        public CodatProxyOptions Proxy { get; set; } = CodatProxyOptions.System;

        /// <summary>Value of the User-Agent header; callers such as the PowerShell module add their own product token.</summary>
        public string? UserAgent { get; set; }

        /// <summary>Shows the server only: the key must never end up in logs.</summary>
        public override string ToString() => $"CodatClientOptions(ServerUrl={ServerUrl}, ApiKey=***)";
    }
}
