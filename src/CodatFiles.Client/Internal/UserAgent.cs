using System.Net.Http.Headers;
using System.Reflection;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// User-Agent: the caller's product (e.g. the PowerShell module) first when given, then
    /// <c>CodatFiles.Client/&lt;version&gt;</c>, so Codat can tell which client and version sent a request.
    /// </summary>
    internal static class UserAgent
    {
        public static readonly string ClientProduct = "CodatFiles.Client/" + ClientVersion();

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

        private static string ClientVersion()
        {
            var assembly = typeof(UserAgent).Assembly;
            var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            if (!string.IsNullOrEmpty(informational))
            {
                var plus = informational!.IndexOf('+'); // drop the "+commit" suffix the SDK appends
                return plus >= 0 ? informational.Substring(0, plus) : informational;
            }

            return assembly.GetName().Version?.ToString() ?? "0.0.0";
        }
    }
}
