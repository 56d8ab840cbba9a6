using System;
using System.Collections.Generic;

namespace CodatFiles.Client
{
    /// <summary>
    /// Base of every failure the client reports. <see cref="Exception.Message"/> is a readable sentence for .NET
    /// callers; the facts it is built from are properties of their own (<see cref="Reason"/>,
    /// <see cref="Attempts"/>, <see cref="GiveUpReason"/>, and on <see cref="CodatApiException"/> Codat's error),
    /// so a caller that words its own message (as the PowerShell module does) need not take this one apart.
    /// Messages and facts are masked of the API key as <see cref="CodatClientOptions.ApiKey"/> describes.
    /// </summary>
    public abstract class CodatException : Exception
    {
        /// <summary>Creates the exception.</summary>
        protected CodatException(string message, string operation, int attempts, string reason, string? giveUpReason, Exception? inner)
            : base(message, inner)
        {
            Operation = operation;
            Attempts = attempts;
            Reason = reason;
            GiveUpReason = giveUpReason;
        }

        /// <summary>The API operation id (list-files, upload-files, download-files).</summary>
        public string Operation { get; }

        /// <summary>How many attempts were made before giving up.</summary>
        public int Attempts { get; }

        /// <summary>
        /// Why the last attempt failed, as a phrase: "HTTP 503 Service Unavailable: Codat's text" for an answer,
        /// "connection refused" or the timeout that stopped it for no answer.
        /// </summary>
        public string Reason { get; }

        /// <summary>
        /// Why no further attempt was made although the failure was worth retrying (e.g. "gave up after
        /// MaxRetryAttempts (2) retries", "retries are disabled (MaxRetryAttempts 0)"); null when the failure is
        /// not one that is retried.
        /// </summary>
        public string? GiveUpReason { get; }

        /// <summary>
        /// For an upload: the files the last attempt may have stored although the call failed (it sent its whole
        /// body and got no answer, or a 500, 502 or 504, and no attempt followed to find out). Empty otherwise. A
        /// caller should list the company's files before reporting them as not stored.
        /// </summary>
        public IReadOnlyList<string> UploadOutcomeUnknown { get; internal set; } = Array.Empty<string>();

        /// <summary>For an upload: files an earlier attempt of the call was proven to have stored (not sent again).</summary>
        public IReadOnlyList<string> UploadFoundStored { get; internal set; } = Array.Empty<string>();

        /// <summary>For an upload: the newest upload time, on Codat's clock, of the entries <see cref="UploadFoundStored"/> rests on.</summary>
        public DateTimeOffset? UploadFoundStoredAt { get; internal set; }

        /// <summary>The facts behind <see cref="GiveUpReason"/>, for a caller that words its own message; null when it is.</summary>
        public CodatGiveUp? GiveUp { get; internal set; }
    }

    /// <summary>The API answered with a non-success status (after any retries).</summary>
    public sealed class CodatApiException : CodatException
    {
        /// <summary>Creates the exception.</summary>
        public CodatApiException(
            string message, string operation, int attempts, string reason, string? giveUpReason, int statusCode,
            CodatErrorKind kind, CodatNotFoundSubject? notFound, CodatError? error, string? responseSnippet,
            TimeSpan? retryAfter, CodatRateLimit? rateLimit)
            : base(message, operation, attempts, reason, giveUpReason, null)
        {
            StatusCode = statusCode;
            Kind = kind;
            NotFound = notFound;
            Error = error;
            ResponseSnippet = responseSnippet;
            RetryAfter = retryAfter;
            RateLimit = rateLimit;
        }

        /// <summary>Creates the exception from a status and Codat's error alone (the facts the other constructor takes are derived).</summary>
        public CodatApiException(
            string message, string operation, int attempts, int statusCode, CodatErrorKind kind,
            CodatError? error, TimeSpan? retryAfter, CodatRateLimit? rateLimit)
            : this(message, operation, attempts,
                string.IsNullOrWhiteSpace(error?.Error) ? $"HTTP {statusCode}" : $"HTTP {statusCode}: {error!.Error}", null,
                statusCode, kind, kind == CodatErrorKind.NotFound ? Internal.ErrorMapper.NotFoundSubjectOf(error?.Error) : (CodatNotFoundSubject?)null,
                error, null, retryAfter, rateLimit)
        {
        }

        /// <summary>The HTTP status code.</summary>
        public int StatusCode { get; }

        /// <summary>The kind of failure, from the status code.</summary>
        public CodatErrorKind Kind { get; }

        /// <summary>For a 404 (<see cref="CodatErrorKind.NotFound"/>), what Codat said it could not find; null otherwise.</summary>
        public CodatNotFoundSubject? NotFound { get; }

        /// <summary>Codat's parsed error body, when the response had one.</summary>
        public CodatError? Error { get; }

        /// <summary>Codat's own message (<see cref="CodatError.Error"/>), when the response had one.</summary>
        public string? CodatMessage => Error?.Error;

        /// <summary>Codat's correlation id, to quote to support.</summary>
        public string? CorrelationId => Error?.CorrelationId;

        /// <summary>The start of a response body that was not Codat's error (an HTML page from a proxy, say), on one line.</summary>
        public string? ResponseSnippet { get; }

        /// <summary>The Retry-After of the last response, as a delay from when it was received.</summary>
        public TimeSpan? RetryAfter { get; }

        /// <summary>The X-Rate-Limit-* headers of the last response, when present.</summary>
        public CodatRateLimit? RateLimit { get; }

        /// <summary>
        /// True when the client gave up at once because the server's <see cref="RetryAfter"/> lies beyond the
        /// call's remaining retry budget: requests before then would only be refused the same way.
        /// </summary>
        public bool RetryAfterBeyondBudget { get; internal set; }
    }

    /// <summary>No usable response: connection refused or reset, DNS failure, or every attempt timed out.</summary>
    public sealed class CodatConnectionException : CodatException
    {
        /// <summary>Creates the exception.</summary>
        public CodatConnectionException(string message, string operation, int attempts, string reason, string? giveUpReason,
            string server, bool timedOut, bool budgetRanOut, Exception? inner)
            : base(message, operation, attempts, reason, giveUpReason, inner)
        {
            Server = server;
            TimedOut = timedOut;
            BudgetRanOut = budgetRanOut;
        }

        /// <summary>Creates the exception from its message alone (it is then also the <see cref="CodatException.Reason"/>).</summary>
        public CodatConnectionException(string message, string operation, int attempts, bool timedOut, Exception? inner)
            : this(message, operation, attempts, message, null, string.Empty, timedOut, false, inner)
        {
        }

        /// <summary>The server that did not answer, as the client shows it (no user info).</summary>
        public string Server { get; }

        /// <summary>
        /// True when the last attempt ran out of time: it hit the per-attempt timeout, or the call's
        /// <see cref="CodatRetryOptions.MaxElapsedTime"/> ran out while it was running (<see cref="BudgetRanOut"/>).
        /// </summary>
        public bool TimedOut { get; }

        /// <summary>True when the call's whole time budget (<see cref="CodatRetryOptions.MaxElapsedTime"/>), not the per-attempt timeout, stopped the last attempt.</summary>
        public bool BudgetRanOut { get; }

        /// <summary>
        /// The timeout that stopped the last attempt when <see cref="TimedOut"/>: the per-attempt timeout, or the
        /// call's <see cref="CodatRetryOptions.MaxElapsedTime"/> when <see cref="BudgetRanOut"/>; null otherwise.
        /// </summary>
        public TimeSpan? TimeLimit { get; internal set; }

        /// <summary>
        /// What kind of failure it was, where it is one that no retry can cure (then <see cref="CodatException.Attempts"/>
        /// is 1): a rejected TLS certificate, or a proxy refusing to open a tunnel without credentials.
        /// </summary>
        public CodatConnectionProblem Problem { get; internal set; }

        /// <summary>
        /// True when no connection to the server could be made at all on the last attempt (refused, a name that does
        /// not resolve, an unreachable network, a failed TLS handshake), as opposed to a reset or a timeout: every
        /// other call to the same server would fail the same way now.
        /// </summary>
        public bool Unreachable { get; internal set; }
    }

    /// <summary>The kind of a <see cref="CodatConnectionException"/>.</summary>
    public enum CodatConnectionProblem
    {
        /// <summary>No answer: refused, reset, a name that does not resolve, a timeout. Retried.</summary>
        NoAnswer,
        /// <summary>
        /// The server's TLS certificate was rejected (untrusted root, another name, expired or revoked). Not retried;
        /// <see cref="CodatException.Reason"/> names the problem and the host.
        /// </summary>
        CertificateRejected,
        /// <summary>The proxy answered the tunnel request (CONNECT, for an https server) with 407. Not retried.</summary>
        ProxyAuthenticationRequired,
    }

    /// <summary>What a 404 from Codat said was not found.</summary>
    public enum CodatNotFoundSubject
    {
        /// <summary>Codat's message names neither (or the server was not Codat).</summary>
        Unknown,
        /// <summary>The company id is not a company of the key's Codat instance.</summary>
        Company,
        /// <summary>The connection id is not a data connection of the company.</summary>
        Connection,
    }
}
