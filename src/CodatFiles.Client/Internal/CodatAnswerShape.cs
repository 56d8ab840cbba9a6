using System.Net.Http;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Whether an answer came from Codat's API rather than something in front of it: API JSON, or an empty answer
    /// carrying Codat's X-Rate-Limit-* headers. A proxy's 407 or a gateway's page is not, so its Date (another
    /// machine's clock) must not move the estimate of Codat's.
    /// </summary>
    internal static class CodatAnswerShape
    {
        public static bool IsCodats(HttpResponseMessage response)
        {
            if ((int)response.StatusCode == 407) return false;
            var mediaType = response.Content?.Headers.ContentType?.MediaType;
            if (mediaType != null)
            {
                return mediaType == "application/json" || mediaType.EndsWith("+json", System.StringComparison.OrdinalIgnoreCase);
            }

            var empty = response.Content?.Headers.ContentLength is null or 0;
            return empty && (response.Headers.Contains("X-Rate-Limit-Limit") || response.Headers.Contains("X-Rate-Limit-Remaining")
                             || response.Headers.Contains("X-Rate-Limit-Reset"));
        }
    }
}
