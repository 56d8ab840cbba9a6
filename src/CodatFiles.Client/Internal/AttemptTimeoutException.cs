using System;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// One attempt ran past PerAttemptTimeout. Raised instead of the OperationCanceledException that the
    /// attempt's own token produced, so that it is never confused with the caller cancelling.
    /// </summary>
    internal sealed class AttemptTimeoutException : TimeoutException
    {
        public AttemptTimeoutException(TimeSpan timeout, Exception? inner)
            : base($"the attempt did not complete within the per-attempt timeout of {timeout.TotalSeconds:0.###} s", inner)
        {
            Timeout = timeout;
        }

        public TimeSpan Timeout { get; }
    }
}
