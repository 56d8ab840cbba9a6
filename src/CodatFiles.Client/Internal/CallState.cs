using System;
using System.Diagnostics;
using System.Threading;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Everything one API call accumulates across its attempts: the attempt count, the clock for MaxElapsedTime,
    /// the decision about the next retry (made in ShouldHandle, read by the delay generator and OnRetry), and
    /// whether retrying has become unsafe.
    /// </summary>
    internal sealed class CallState
    {
        private readonly Stopwatch _elapsed = Stopwatch.StartNew();

        public CallState(CodatOperation operation, CodatRetryOptions retry, CodatCallOptions? callOptions, CancellationToken callerToken)
        {
            Operation = operation;
            Retry = retry;
            CallOptions = callOptions;
            CallerToken = callerToken;
        }

        public CodatOperation Operation { get; }

        public CodatRetryOptions Retry { get; }

        public CodatCallOptions? CallOptions { get; }

        public CancellationToken CallerToken { get; }

        /// <summary>Attempts started so far (1 during the first).</summary>
        public int Attempts { get; set; }

        public TimeSpan Elapsed => _elapsed.Elapsed;

        /// <summary>The last retry decision; its delay is the one Polly waits.</summary>
        public RetryDecision? NextRetry { get; set; }

        /// <summary>Why the last retryable failure was not retried, for the final exception's message.</summary>
        public string? GiveUpReason { get; set; }

        /// <summary>The reason text and status of the last failed attempt, for the retry event.</summary>
        public string? LastFailureReason { get; set; }

        public int? LastFailureStatus { get; set; }

        /// <summary>Set by an attempt when a further attempt would be unsafe (bytes already written that cannot be undone).</summary>
        public string? RetryBlockedReason { get; set; }

        public void ReportProgress(long bytes, long? total)
        {
            CallOptions?.Progress?.Report(new TransferProgress(bytes, total, Attempts));
        }
    }

    /// <summary>What an attempt gets: its number, its token (caller's token plus the per-attempt timeout), the call state.</summary>
    internal sealed class AttemptContext
    {
        public AttemptContext(CallState call, int attempt, CancellationToken cancellationToken)
        {
            Call = call;
            Attempt = attempt;
            CancellationToken = cancellationToken;
        }

        public CallState Call { get; }

        public int Attempt { get; }

        public CancellationToken CancellationToken { get; }
    }
}
