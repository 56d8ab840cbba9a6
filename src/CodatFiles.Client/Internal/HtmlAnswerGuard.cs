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
    /// web server at the wrong URL) is an error for every operation, never an upload or a list; and a download
    /// whose body does not start as a zip (a sign-in page served as application/octet-stream, JSON, text, nothing)
    /// is an error before a byte of it is kept. Each is an unexpected-body <see cref="CodatApiException"/>, never
    /// retried as a network failure.
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
            var filled = await StreamHead.ReadAsync(body, buffer, cancellationToken).ConfigureAwait(false);

            var start = Encoding.UTF8.GetString(buffer, 0, filled).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
            if (start.StartsWith("<", StringComparison.Ordinal))
            {
                throw NotAnApiAnswer(operation, response, attempt, "the answer is an HTML page, not the Files API's empty success");
            }
        }

        /// <summary>How many bytes of a download <see cref="ThrowIfNotZip"/> is given (it checks the first 4, and names the rest).</summary>
        public const int DownloadHeadBytes = 512;

        /// <summary>
        /// Throws unless <paramref name="head"/>, the first <paramref name="count"/> bytes of a download body (the
        /// whole body when shorter than <see cref="DownloadHeadBytes"/>), starts with a zip signature: a local file
        /// header ("PK\x03\x04"), or the end record of an empty archive ("PK\x05\x06"). An empty body is an error
        /// too: Codat answers even a company without files with a zip (an empty one).
        /// </summary>
        public void ThrowIfNotZip(CodatOperation operation, HttpResponseMessage response, int attempt, byte[] head, int count)
        {
            if (StartsAsZip(head, count)) return;
            throw NotAnApiAnswer(operation, response, attempt, "the download is not a zip archive: it is " + DescribeNotZip(head, count));
        }

        /// <summary>True when the bytes start with a zip's local file header or an empty zip's end record.</summary>
        public static bool StartsAsZip(byte[] head, int count) =>
            count >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' &&
            ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));

        /// <summary>What a body that is not a zip looks like, without quoting it: "empty", "an HTML page", "JSON", ...</summary>
        private static string DescribeNotZip(byte[] head, int count)
        {
            if (count == 0) return "empty";
            var start = Encoding.UTF8.GetString(head, 0, count).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
            if (start.StartsWith("<", StringComparison.Ordinal)) return "an HTML page";
            if (start.StartsWith("{", StringComparison.Ordinal) || start.StartsWith("[", StringComparison.Ordinal)) return "JSON";
            for (var i = 0; i < count; i++)
            {
                var b = head[i];
                if (b < 0x09 || (b > 0x0D && b < 0x20) || b == 0x7F) return $"{count:N0}{(count == DownloadHeadBytes ? " or more" : string.Empty)} bytes that do not start as a zip";
            }

            return "text";
        }

        private CodatApiException NotAnApiAnswer(CodatOperation operation, HttpResponseMessage response, int attempt, string why) =>
            _errors.ToUnexpectedBodyException(operation, (int)response.StatusCode, attempt, new InvalidDataException(why),
                RateLimitHeaders.Read(response, _redactor));
    }
}
