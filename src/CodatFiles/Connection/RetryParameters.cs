namespace CodatFiles.Connection
{
    /// <summary>
    /// The Invoke-RestMethod-style retry parameters as a user gave them; null means "not given", so a cmdlet's
    /// own values can fall back to Connect-Codat's, and those to the client's defaults.
    /// </summary>
    internal readonly struct RetryParameters
    {
        public RetryParameters(int? maximumRetryCount, double? retryIntervalSec, double? timeoutSec)
        {
            MaximumRetryCount = maximumRetryCount;
            RetryIntervalSec = retryIntervalSec;
            TimeoutSec = timeoutSec;
        }

        public int? MaximumRetryCount { get; }

        public double? RetryIntervalSec { get; }

        public double? TimeoutSec { get; }

        /// <summary>Each value of this one, or the fallback's where this one has none.</summary>
        public RetryParameters Or(RetryParameters fallback) => new RetryParameters(
            MaximumRetryCount ?? fallback.MaximumRetryCount,
            RetryIntervalSec ?? fallback.RetryIntervalSec,
            TimeoutSec ?? fallback.TimeoutSec);
    }
}
