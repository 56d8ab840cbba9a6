using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Reads a non-success response into an <see cref="HttpFailure"/>: status, headers, and the body parsed as
    /// Codat's error when it is one. Tolerates empty, non-JSON and oversized bodies: an error must always be
    /// reportable, whatever a server or proxy sent. Every text taken from the response is scrubbed of the key
    /// here, where it enters the client, so retry events, messages and stored fields are all clean.
    /// </summary>
    internal sealed class ResponseErrorReader
    {
        private const int MaxBodyBytes = 64 * 1024;
        private const int MaxSnippetChars = 300;
        private readonly SecretRedactor _redactor;
        private readonly TimeProvider _time;

        public ResponseErrorReader(SecretRedactor redactor, TimeProvider time)
        {
            _time = time;
            _redactor = redactor;
        }

        public async Task<HttpFailure> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            var receivedAt = _time.GetUtcNow();
            var body = await ReadLimitedAsync(response, cancellationToken).ConfigureAwait(false);
            var error = TryParseError(body);
            var status = (int)response.StatusCode;
            var location = status >= 300 && status <= 399
                ? _redactor.RedactHeaderValue(response.Headers.Location?.OriginalString ?? "(no Location header)")
                : null;
            // The snippet is cut to length after scrubbing, so a cut cannot leave part of the key unmasked. A
            // redirect's body ("Found. Redirecting to ...") says nothing its Location does not.
            var snippet = error is null && location is null ? Snippet(_redactor.Redact(body)) : null;

            return new HttpFailure(
                (int)response.StatusCode,
                _redactor.RedactHeaderValue(response.ReasonPhrase),
                CodatErrorScrubber.Scrub(error, _redactor),
                snippet,
                RetryAfterParser.Parse(response, receivedAt),
                RateLimitHeaders.Read(response, _redactor),
                receivedAt,
                location);
        }

        private static async Task<string> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            var content = response.Content;
            if (content is null) return string.Empty;
            using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
            var buffer = new byte[MaxBodyBytes];
            var filled = await StreamHead.ReadAsync(stream, buffer, cancellationToken).ConfigureAwait(false);
            return Encoding.UTF8.GetString(buffer, 0, filled);
        }

        internal static CodatError? TryParseError(string body)
        {
            var trimmed = body.Trim();
            if (!trimmed.StartsWith("{", StringComparison.Ordinal)) return null;
            try
            {
                return JsonSerializer.Deserialize(trimmed, CodatJsonContext.Default.CodatError);
            }
            catch (JsonException)
            {
                return null;
            }
            catch (NotSupportedException)
            {
                return null;
            }
        }

        /// <summary>The body on one line, shortened: enough to recognise a proxy page, not enough to flood a message.</summary>
        private static string? Snippet(string body)
        {
            var builder = new StringBuilder();
            var lastWasSpace = false;
            foreach (var c in body)
            {
                var isSpace = char.IsWhiteSpace(c) || char.IsControl(c);
                if (isSpace && (lastWasSpace || builder.Length == 0)) continue;
                builder.Append(isSpace ? ' ' : c);
                lastWasSpace = isSpace;
                if (builder.Length >= MaxSnippetChars) return builder.ToString().TrimEnd() + "…";
            }

            var text = builder.ToString().TrimEnd();
            return text.Length == 0 ? null : text;
        }
    }
}
