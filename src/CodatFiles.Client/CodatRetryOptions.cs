using System;

namespace CodatFiles.Client
{
    /// <summary>
    /// Retry and timeout policy. Defaults follow Codat's SDKs: exponential backoff from 500 ms, exponent 1.5,
    /// 60 s cap, retrying 408, 429, 5xx and connection errors for up to one hour in all, with no limit on the
    /// number of attempts. Improvements over the SDKs: Retry-After is honoured, jitter is added, and each attempt
    /// has its own timeout.
    /// </summary>
    public sealed class CodatRetryOptions
    {
        /// <summary>
        /// Retries after the first attempt; 0 disables retries. Default <see cref="int.MaxValue"/>, i.e. unbounded,
        /// so that <see cref="MaxElapsedTime"/> alone ends the retrying, as in Codat's SDKs.
        /// </summary>
        public int MaxRetryAttempts { get; set; } = int.MaxValue;

        /// <summary>Delay before the first retry, before jitter. Default 500 ms.</summary>
        public TimeSpan InitialInterval { get; set; } = TimeSpan.FromMilliseconds(500);

        /// <summary>Growth factor of the delay between retries. Default 1.5.</summary>
        public double Exponent { get; set; } = 1.5;

        /// <summary>
        /// Largest computed backoff between two attempts. Default 60 s. A server's Retry-After is not capped by it:
        /// the client waits exactly as long as the server asks (see <see cref="MaxElapsedTime"/>).
        /// </summary>
        public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Total time budget for all attempts and waits of one call. Default one hour, as Codat's SDKs.</summary>
        /// <remarks>
        /// Checked before each wait: when the wait (computed, or the server's Retry-After) would not end inside the
        /// budget, the client gives up at once and throws the last error, saying why. Each attempt is bounded by
        /// <see cref="PerAttemptTimeout"/> or by the time left in the budget, whichever is less; an attempt stopped
        /// because the budget ran out is reported as a timeout that says so.
        /// </remarks>
        public TimeSpan MaxElapsedTime { get; set; } = TimeSpan.FromHours(1);

        /// <summary>
        /// How long to keep retrying a server that cannot be reached at all: connection refused, a host name that
        /// does not resolve, or a TLS failure. Default one minute, so a dead server or a mistyped URL fails fast;
        /// answers (408, 429, 5xx) and dropped or timed-out connections keep <see cref="MaxElapsedTime"/>.
        /// </summary>
        public TimeSpan MaxUnreachableTime { get; set; } = TimeSpan.FromMinutes(1);

        /// <summary>Time limit of a single attempt (request sent until response body read). Default 5 minutes.</summary>
        public TimeSpan PerAttemptTimeout { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>Whether to add random jitter to computed delays (not to a server's Retry-After). Default true.</summary>
        public bool UseJitter { get; set; } = true;

        /// <summary>A copy that can be changed without touching this instance.</summary>
        public CodatRetryOptions Clone() => (CodatRetryOptions)MemberwiseClone();

        /// <summary>Throws ArgumentOutOfRangeException when a value cannot work.</summary>
        public void Validate()
        {
            if (MaxRetryAttempts < 0) throw new ArgumentOutOfRangeException(nameof(MaxRetryAttempts), "MaxRetryAttempts must be 0 or more.");
            if (InitialInterval < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(InitialInterval), "InitialInterval must not be negative.");
            if (Exponent < 1) throw new ArgumentOutOfRangeException(nameof(Exponent), "Exponent must be 1 or more.");
            if (MaxInterval < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MaxInterval), "MaxInterval must not be negative.");
            if (MaxElapsedTime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MaxElapsedTime), "MaxElapsedTime must be positive.");
            if (MaxUnreachableTime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MaxUnreachableTime), "MaxUnreachableTime must be positive.");
            if (PerAttemptTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(PerAttemptTimeout), "PerAttemptTimeout must be positive.");
        }
    }
}
