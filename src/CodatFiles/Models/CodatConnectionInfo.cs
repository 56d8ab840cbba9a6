using System;

namespace CodatFiles
{
    /// <summary>
    /// The session defaults Connect-Codat stored, as written by Connect-Codat -PassThru. The API key is never shown.
    /// </summary>
    public sealed class CodatConnectionInfo
    {
        internal CodatConnectionInfo(Uri serverUrl, int? maximumRetryCount, double? retryIntervalSec, double? timeoutSec)
        {
            ServerUrl = serverUrl;
            MaximumRetryCount = maximumRetryCount;
            RetryIntervalSec = retryIntervalSec;
            TimeoutSec = timeoutSec;
        }

        /// <summary>The server the other cmdlets use when they are not given -ServerUrl.</summary>
        public Uri ServerUrl { get; }

        /// <summary>Default retries after a failed attempt; null keeps the client's default.</summary>
        public int? MaximumRetryCount { get; }

        /// <summary>Default wait before the first retry, in seconds; null keeps the client's default.</summary>
        public double? RetryIntervalSec { get; }

        /// <summary>Default time limit of one attempt, in seconds; null keeps the client's default.</summary>
        public double? TimeoutSec { get; }

        /// <inheritdoc />
        public override string ToString() => ServerUrl.ToString();
    }
}
