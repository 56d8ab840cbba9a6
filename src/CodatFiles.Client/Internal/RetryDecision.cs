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
        private RetryDecision(bool retry, TimeSpan delay, bool delayFromRetryAfter, string? giveUpReason)
        {
            Retry = retry;
            Delay = delay;
            DelayFromRetryAfter = delayFromRetryAfter;
            GiveUpReason = giveUpReason;
        }

        public bool Retry { get; }

        public TimeSpan Delay { get; }

        public bool DelayFromRetryAfter { get; }

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
        public static RetryDecision Decide(CodatRetryOptions options, int retriesDone, TimeSpan elapsed, bool transient,
            TimeSpan? retryAfter, string? blockedReason, Func<double>? random = null)
        {
            if (!transient) return Stop;
            if (blockedReason != null) return new RetryDecision(false, TimeSpan.Zero, false, blockedReason);
            if (retriesDone >= options.MaxRetryAttempts)
            {
                return new RetryDecision(false, TimeSpan.Zero, false,
                    options.MaxRetryAttempts == 0
                        ? "retries are disabled (MaxRetryAttempts 0)"
                        : $"gave up after MaxRetryAttempts ({options.MaxRetryAttempts.ToString(CultureInfo.InvariantCulture)}) retries");
            }

            var fromRetryAfter = retryAfter.HasValue;
            var delay = retryAfter is TimeSpan serverDelay
                ? BackoffDelay.FromRetryAfter(options, serverDelay)
                : BackoffDelay.Compute(options, retriesDone, random);

            // Waiting only to find the budget gone would waste the caller's time: stop now with the last error.
            if (elapsed + delay > options.MaxElapsedTime)
            {
                return new RetryDecision(false, TimeSpan.Zero, false,
                    $"gave up because the next wait of {Seconds(delay)} s would pass MaxElapsedTime ({Seconds(options.MaxElapsedTime)} s; {Seconds(elapsed)} s used)");
            }

            return new RetryDecision(true, delay, fromRetryAfter, null);
        }

        private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
