using System.Net.Http.Headers;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// User-Agent: the caller's product (e.g. the PowerShell module) first when given, then
    /// <c>CodatFiles.Client/&lt;version&gt;</c>, so Codat can tell which client and version sent a request.
    /// </summary>
    internal static class UserAgent
    {
        public static readonly string ClientProduct = "CodatFiles.Client/" + CodatProductVersion.Of(typeof(UserAgent).Assembly);

        public static void Apply(HttpRequestHeaders headers, string? callerUserAgent)
        {
            if (!string.IsNullOrWhiteSpace(callerUserAgent))
            {
                // CR/LF would split the header; the rest is the caller's business, so it is added unvalidated.
                var cleaned = callerUserAgent!.Replace("\r", " ").Replace("\n", " ").Trim();
                headers.TryAddWithoutValidation("User-Agent", cleaned);
            }

            headers.TryAddWithoutValidation("User-Agent", ClientProduct);
        }
    }
}
