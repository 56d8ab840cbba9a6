using System;

namespace CodatFiles.Client
{
    /// <summary>
    /// Base of every failure the client reports. Messages (and <see cref="CodatApiException.Error"/>) are masked
    /// of the API key as <see cref="CodatClientOptions.ApiKey"/> describes.
    /// </summary>
    public abstract class CodatException : Exception
    {
        /// <summary>Creates the exception.</summary>
        protected CodatException(string message, string operation, int attempts, Exception? inner)
            : base(message, inner)
        {
            Operation = operation;
            Attempts = attempts;
        }

        /// <summary>The API operation id (list-files, upload-files, download-files).</summary>
        public string Operation { get; }

        /// <summary>How many attempts were made before giving up.</summary>
        public int Attempts { get; }
    }

    /// <summary>The API answered with a non-success status (after any retries).</summary>
    public sealed class CodatApiException : CodatException
    {
        /// <summary>Creates the exception.</summary>
        public CodatApiException(
            string message, string operation, int attempts, int statusCode, CodatErrorKind kind,
            CodatError? error, TimeSpan? retryAfter, CodatRateLimit? rateLimit)
            : base(message, operation, attempts, null)
        {
            StatusCode = statusCode;
            Kind = kind;
            Error = error;
            RetryAfter = retryAfter;
            RateLimit = rateLimit;
        }

        /// <summary>The HTTP status code.</summary>
        public int StatusCode { get; }

        /// <summary>The kind of failure, from the status code.</summary>
        public CodatErrorKind Kind { get; }

        /// <summary>Codat's parsed error body, when the response had one.</summary>
        public CodatError? Error { get; }

        /// <summary>Codat's correlation id, to quote to support.</summary>
        public string? CorrelationId => Error?.CorrelationId;

        /// <summary>The Retry-After of the last response, as a delay from when it was received.</summary>
        public TimeSpan? RetryAfter { get; }

        /// <summary>The X-Rate-Limit-* headers of the last response, when present.</summary>
        public CodatRateLimit? RateLimit { get; }
    }

    /// <summary>No usable response: connection refused or reset, DNS failure, or every attempt timed out.</summary>
    public sealed class CodatConnectionException : CodatException
    {
        /// <summary>Creates the exception.</summary>
        public CodatConnectionException(string message, string operation, int attempts, bool timedOut, Exception? inner)
            : base(message, operation, attempts, inner)
        {
            TimedOut = timedOut;
        }

        /// <summary>
        /// True when the last attempt ran out of time: it hit the per-attempt timeout, or the call's
        /// <see cref="CodatRetryOptions.MaxElapsedTime"/> ran out while it was running (the message says which).
        /// </summary>
        public bool TimedOut { get; }
    }
}
