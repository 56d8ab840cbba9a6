using System.Globalization;
using System.Linq;
using System.Net.Http;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Reads Codat's X-Rate-Limit-* headers; null when the response has none of them. The free-form reset value
    /// is scrubbed of the key, as every server text the client surfaces.
    /// </summary>
    internal static class RateLimitHeaders
    {
        public static CodatRateLimit? Read(HttpResponseMessage response, SecretRedactor redactor)
        {
            var limit = First(response, "X-Rate-Limit-Limit");
            var remaining = First(response, "X-Rate-Limit-Remaining");
            var reset = First(response, "X-Rate-Limit-Reset");
            if (limit is null && remaining is null && reset is null) return null;

            return new CodatRateLimit
            {
                Limit = ParseLong(limit),
                Remaining = ParseLong(remaining),
                Reset = redactor.RedactHeaderValue(reset), // format undocumented (ISO 8601 or Unix time seen): kept as sent
            };
        }

        private static string? First(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;

        private static long? ParseLong(string? value) =>
            long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : (long?)null;
    }
}
