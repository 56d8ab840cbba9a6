using System;
using System.Globalization;

namespace CodatFiles.Client
{
    /// <summary>Describes one retry about to happen: the failed attempt, its reason and the wait before the next.</summary>
    public sealed class CodatRetryEvent
    {
        /// <summary>Creates a retry event.</summary>
        public CodatRetryEvent(string operation, int failedAttempt, TimeSpan delay, string reason, int? statusCode, bool delayFromRetryAfter)
        {
            Operation = operation;
            FailedAttempt = failedAttempt;
            Delay = delay;
            Reason = reason;
            StatusCode = statusCode;
            DelayFromRetryAfter = delayFromRetryAfter;
        }

        /// <summary>The API operation id (list-files, upload-files, download-files).</summary>
        public string Operation { get; }

        /// <summary>The attempt that failed (1 is the first).</summary>
        public int FailedAttempt { get; }

        /// <summary>How long the client waits before the next attempt.</summary>
        public TimeSpan Delay { get; }

        /// <summary>A sentence saying why the attempt failed (status and Codat's message, or the connection error).</summary>
        public string Reason { get; }

        /// <summary>HTTP status of the failed attempt; null for a connection error or timeout.</summary>
        public int? StatusCode { get; }

        /// <summary>True when the delay came from the server's Retry-After header.</summary>
        public bool DelayFromRetryAfter { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Operation}: {Describe()}";

        /// <summary>The event without the operation id, for callers that already say which call this is.</summary>
        public string Describe() =>
            $"attempt {FailedAttempt} failed ({Reason}); retrying in {Delay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s{(DelayFromRetryAfter ? " as the server's Retry-After asks" : string.Empty)}.";
    }
}
