using System;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Decides, after a failed attempt, whether to retry and how long to wait: the whole policy in one pure
    /// function so it can be read (and tested) apart from Polly's plumbing.
    /// </summary>
    internal sealed class RetryDecision
    {
        private RetryDecision(bool retry, TimeSpan delay, bool delayFromRetryAfter, CodatGiveUp? giveUp)
        {
            Retry = retry;
            Delay = delay;
            DelayFromRetryAfter = delayFromRetryAfter;
            GiveUp = giveUp;
        }

        public bool Retry { get; }

        public TimeSpan Delay { get; }

        public bool DelayFromRetryAfter { get; }

        /// <summary>Why a retryable failure was not retried (limit reached, budget exhausted); null otherwise.</summary>
        public CodatGiveUp? GiveUp { get; }

        /// <summary>The client's wording of <see cref="GiveUp"/>.</summary>
        public string? GiveUpReason => GiveUp?.ToString();

        /// <summary>True when it gave up because the server's Retry-After lies beyond the remaining budget.</summary>
        public bool WaitBeyondBudget => GiveUp?.Kind == CodatGiveUpKind.ServerWaitPastBudget;

        public static readonly RetryDecision Stop = new RetryDecision(false, TimeSpan.Zero, false, null);

        /// <param name="options">The effective retry policy.</param>
        /// <param name="retriesDone">Retries already made (0 after the first attempt).</param>
        /// <param name="elapsed">Time since the call started.</param>
        /// <param name="transient">Whether the failure is worth retrying at all.</param>
        /// <param name="retryAfter">The server's Retry-After, when it sent one.</param>
        /// <param name="blockedReason">Set when this call can no longer be retried safely (e.g. partial download to a non-seekable stream).</param>
        /// <param name="random">Jitter source (tests pass a fixed one).</param>
        /// <param name="unreachable">The server could not be reached at all (refused, unknown host, TLS failure).</param>
        /// <param name="budgetRanOut">The call's budget stopped the attempt itself.</param>
        public static RetryDecision Decide(CodatRetryOptions options, int retriesDone, TimeSpan elapsed, bool transient,
            TimeSpan? retryAfter, string? blockedReason, Func<double>? random = null, bool unreachable = false, bool budgetRanOut = false)
        {
            if (!transient) return Stop;
            if (budgetRanOut) return GiveUpFor(CodatGiveUpKind.TimeBudgetUsedUp);
            if (blockedReason != null) return GiveUpFor(CodatGiveUpKind.RetryUnsafe, detail: blockedReason);
            if (retriesDone >= options.MaxRetryAttempts)
            {
                return GiveUpFor(options.MaxRetryAttempts == 0 ? CodatGiveUpKind.RetriesDisabled : CodatGiveUpKind.RetryLimitReached);
            }

            // A wait must also leave time for the attempt after it: one that uses up the budget is pointless.
            var remaining = TimerLimits.Clamp(options.MaxElapsedTime - elapsed);
            if (remaining <= TimeSpan.Zero) return GiveUpFor(CodatGiveUpKind.TimeBudgetUsedUp);

            if (retryAfter is TimeSpan serverDelay)
            {
                // The server's wait is honoured exactly or not at all: retrying sooner would only be refused
                // again, so MaxInterval (a cap on our own backoff) does not shorten it.
                return serverDelay < remaining
                    ? new RetryDecision(true, serverDelay, true, null)
                    : GiveUpFor(CodatGiveUpKind.ServerWaitPastBudget, serverDelay);
            }

            // Waiting only to find the budget gone would waste the caller's time: stop now with the last error.
            var delay = BackoffDelay.Compute(options, retriesDone, random);
            if (unreachable && elapsed + delay >= options.MaxUnreachableTime) return GiveUpFor(CodatGiveUpKind.UnreachableTooLong);

            return delay < remaining
                ? new RetryDecision(true, delay, false, null)
                : GiveUpFor(CodatGiveUpKind.NextWaitPastBudget, delay);

            RetryDecision GiveUpFor(CodatGiveUpKind kind, TimeSpan? wait = null, string? detail = null) =>
                new RetryDecision(false, TimeSpan.Zero, false, new CodatGiveUp(kind, options, elapsed, wait, detail));
        }
    }
}
