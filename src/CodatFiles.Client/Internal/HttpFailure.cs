using System;
using System.Net;
using System.Net.Http;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// A non-success response, fully read and disposed: what the retry policy decides on and what
    /// <see cref="ErrorMapper"/> turns into a <see cref="CodatApiException"/> if it is the last one.
    /// </summary>
    internal sealed class HttpFailure
    {
        public HttpFailure(int statusCode, string? reasonPhrase, CodatError? error, string? bodySnippet,
            TimeSpan? retryAfter, CodatRateLimit? rateLimit, DateTimeOffset receivedAt, string? redirectLocation = null)
        {
            RedirectLocation = redirectLocation;
            StatusCode = statusCode;
            ReasonPhrase = reasonPhrase;
            Error = error;
            BodySnippet = bodySnippet;
            RetryAfter = retryAfter;
            RateLimit = rateLimit;
            ReceivedAt = receivedAt;
        }

        public int StatusCode { get; }

        public string? ReasonPhrase { get; }

        /// <summary>Codat's parsed error body, when the body was one.</summary>
        public CodatError? Error { get; }

        /// <summary>Start of a body that was not a Codat error (an HTML page from a proxy, say), for the message.</summary>
        public string? BodySnippet { get; }

        public TimeSpan? RetryAfter { get; }

        /// <summary>Where a 3xx pointed (its Location header); the client never follows it.</summary>
        public string? RedirectLocation { get; }

        public CodatRateLimit? RateLimit { get; }

        public DateTimeOffset ReceivedAt { get; }

        /// <summary>Statuses worth another attempt: 408, 429 and every 5xx, as Codat's SDKs retry.</summary>
        public bool IsTransient => StatusCode == 408 || StatusCode == 429 || (StatusCode >= 500 && StatusCode <= 599);

        /// <summary>"HTTP 503 Service Unavailable: Codat's error text".</summary>
        public string Summary()
        {
            var text = $"HTTP {StatusCode} {(string.IsNullOrEmpty(ReasonPhrase) ? StandardReasonPhrase(StatusCode) : ReasonPhrase)}".TrimEnd();
            var detail = RedirectLocation != null ? "redirected to " + RedirectLocation + ", which API calls do not follow" : Error?.Error ?? BodySnippet;
            return string.IsNullOrWhiteSpace(detail) ? text : $"{text}: {detail}";
        }

        /// <summary>
        /// The standard phrase of a status (HTTP/2 and some servers send none): the BCL's own table, which
        /// HttpResponseMessage uses when no phrase was set.
        /// </summary>
        private static string StandardReasonPhrase(int statusCode)
        {
            using var standard = new HttpResponseMessage((HttpStatusCode)statusCode);
            return standard.ReasonPhrase ?? string.Empty;
        }
    }
}
