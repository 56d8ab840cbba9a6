using System;
using System.Globalization;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Decides, after a failed attempt, whether to retry and how long to wait: the whole policy in one pure
    /// function so it can be read (and tested) apart from Polly's plumbing.
    /// </summary>
    internal sealed class RetryDecision
    {
        private RetryDecision(bool retry, TimeSpan delay, bool delayFromRetryAfter, string? giveUpReason, bool waitBeyondBudget = false)
        {
            WaitBeyondBudget = waitBeyondBudget;
            Retry = retry;
            Delay = delay;
            DelayFromRetryAfter = delayFromRetryAfter;
            GiveUpReason = giveUpReason;
        }

        public bool Retry { get; }

        public TimeSpan Delay { get; }

        public bool DelayFromRetryAfter { get; }

        /// <summary>True when it gave up because the server's Retry-After lies beyond the remaining budget.</summary>
        public bool WaitBeyondBudget { get; }

        /// <summary>Why a retryable failure was not retried (limit reached, budget exhausted); null otherwise.</summary>
        public string? GiveUpReason { get; }

        public static readonly RetryDecision Stop = new RetryDecision(false, TimeSpan.Zero, false, null);

        /// <param name="options">The effective retry policy.</param>
        /// <param name="retriesDone">Retries already made (0 after the first attempt).</param>
        /// <param name="elapsed">Time since the call started.</param>
        /// <param name="transient">Whether the failure is worth retrying at all.</param>
        /// <param name="retryAfter">The server's Retry-After, when it sent one.</param>
        /// <param name="blockedReason">Set when this call can no longer be retried safely (e.g. partial download to a non-seekable stream).</param>
        /// <param name="random">Jitter source (tests pass a fixed one).</param>
        /// <param name="unreachable">The server could not be reached at all (refused, unknown host, TLS failure).</param>
        public static RetryDecision Decide(CodatRetryOptions options, int retriesDone, TimeSpan elapsed, bool transient,
            TimeSpan? retryAfter, string? blockedReason, Func<double>? random = null, bool unreachable = false)
        {
            if (!transient) return Stop;
            if (blockedReason != null) return GiveUp(blockedReason);
            if (retriesDone >= options.MaxRetryAttempts)
            {
                return GiveUp(options.MaxRetryAttempts == 0
                    ? "retries are disabled (MaxRetryAttempts 0)"
                    : $"gave up after MaxRetryAttempts ({options.MaxRetryAttempts.ToString(CultureInfo.InvariantCulture)}) retries");
            }

            // A wait must also leave time for the attempt after it: one that uses up the budget is pointless.
            var remaining = TimerLimits.Clamp(options.MaxElapsedTime - elapsed);
            if (remaining <= TimeSpan.Zero) return GiveUp(BudgetUsedUp(options));

            if (retryAfter is TimeSpan serverDelay)
            {
                // The server's wait is honoured exactly or not at all: retrying sooner would only be refused
                // again, so MaxInterval (a cap on our own backoff) does not shorten it.
                return serverDelay < remaining
                    ? new RetryDecision(true, serverDelay, true, null)
                    : new RetryDecision(false, TimeSpan.Zero, false,
                        $"gave up at once: the server asks to wait {Seconds(serverDelay)} s, beyond the remaining retry budget of {Seconds(remaining)} s (MaxElapsedTime {Seconds(options.MaxElapsedTime)} s)",
                        waitBeyondBudget: true);
            }

            // Waiting only to find the budget gone would waste the caller's time: stop now with the last error.
            var delay = BackoffDelay.Compute(options, retriesDone, random);
            if (unreachable && elapsed + delay >= options.MaxUnreachableTime)
            {
                return GiveUp($"gave up because the server could not be reached for MaxUnreachableTime ({Seconds(options.MaxUnreachableTime)} s)");
            }

            return delay < remaining
                ? new RetryDecision(true, delay, false, null)
                : GiveUp($"gave up because the next wait of {Seconds(delay)} s would pass MaxElapsedTime ({Seconds(options.MaxElapsedTime)} s; {Seconds(elapsed)} s used)");
        }

        /// <summary>Why no retry follows once the call's whole time budget is spent.</summary>
        public static string BudgetUsedUp(CodatRetryOptions options) =>
            $"gave up because MaxElapsedTime ({Seconds(options.MaxElapsedTime)} s) is used up";

        private static RetryDecision GiveUp(string reason) => new RetryDecision(false, TimeSpan.Zero, false, reason);

        private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
