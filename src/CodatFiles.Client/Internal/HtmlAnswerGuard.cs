using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Only Codat's API counts as success: a 2xx that is an HTML page (a proxy's sign-in page, a captive portal, a
    /// web server at the wrong URL) is an error for every operation, never an upload or a list.
    /// </summary>
    internal sealed class HtmlAnswerGuard
    {
        private const int SniffBytes = 1024;
        private readonly ErrorMapper _errors;
        private readonly SecretRedactor _redactor;

        public HtmlAnswerGuard(ErrorMapper errors, SecretRedactor redactor)
        {
            _errors = errors;
            _redactor = redactor;
        }

        /// <summary>Throws when the success answer declares an HTML content type.</summary>
        public void ThrowIfHtmlType(CodatOperation operation, HttpResponseMessage response, int attempt)
        {
            var mediaType = response.Content?.Headers.ContentType?.MediaType;
            if (mediaType != null && (mediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) ||
                                      mediaType.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase)))
            {
                throw NotAnApiAnswer(operation, response, attempt, $"the answer is a web page ({mediaType})");
            }
        }

        /// <summary>
        /// For answers that should have no body (upload-files): throws when the type or the start of the body is
        /// HTML. Reads at most 1 KB.
        /// </summary>
        public async Task ThrowIfHtmlAsync(CodatOperation operation, HttpResponseMessage response, int attempt, CancellationToken cancellationToken)
        {
            ThrowIfHtmlType(operation, response, attempt);
            if (response.Content is null) return;
            using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var buffer = new byte[SniffBytes];
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = await body.ReadAsync(buffer, filled, buffer.Length - filled, cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += read;
            }

            var start = Encoding.UTF8.GetString(buffer, 0, filled).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
            if (start.StartsWith("<", StringComparison.Ordinal))
            {
                throw NotAnApiAnswer(operation, response, attempt, "the answer is an HTML page, not the Files API's empty success");
            }
        }

        private CodatApiException NotAnApiAnswer(CodatOperation operation, HttpResponseMessage response, int attempt, string why) =>
            _errors.ToUnexpectedBodyException(operation, (int)response.StatusCode, attempt, new InvalidDataException(why),
                RateLimitHeaders.Read(response, _redactor));
    }
}
