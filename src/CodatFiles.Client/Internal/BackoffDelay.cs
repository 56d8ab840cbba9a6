using System;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// The computed wait before retry n (0-based): min(InitialInterval × Exponent^n, MaxInterval), then, with
    /// jitter, spread by ±25% (so many clients hit by the same outage do not retry in lockstep) and capped
    /// again so MaxInterval stays a hard ceiling. Only this computed backoff is capped: a server's Retry-After
    /// is the server's to set (see <see cref="RetryDecision"/>).
    /// </summary>
    internal static class BackoffDelay
    {
        private const double JitterSpread = 0.25;
        private static readonly Random SharedRandom = new Random();

        public static TimeSpan Compute(CodatRetryOptions options, int retryIndex, Func<double>? random = null)
        {
            var maxMs = options.MaxInterval.TotalMilliseconds;
            // Computed in double: Exponent^n overflows to +Infinity, never wraps, and the cap then applies.
            var ms = Math.Min(options.InitialInterval.TotalMilliseconds * Math.Pow(options.Exponent, retryIndex), maxMs);
            if (options.UseJitter)
            {
                var factor = 1 - JitterSpread + (2 * JitterSpread * (random ?? NextJitterSample)());
                ms = Math.Min(ms * factor, maxMs);
            }

            // Whole milliseconds: timers run at that resolution, so the wait reported is exactly the wait taken.
            return TimeSpan.FromMilliseconds(Math.Floor(Math.Max(0, ms)));
        }

        /// <summary>A uniform sample in [0, 1) for the jitter of one wait.</summary>
        public static double NextJitterSample()
        {
            lock (SharedRandom) return SharedRandom.NextDouble();
        }
    }
}
