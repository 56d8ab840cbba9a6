using System.Threading;
using Polly;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// What one attempt of an operation gets from <see cref="CodatCallRunner"/>: its number, its token (the
    /// caller's, the budget's and the per-attempt timer's in one), progress reporting, and a way to say that a
    /// further attempt would be unsafe.
    /// </summary>
    internal sealed class AttemptContext
    {
        private readonly ResilienceContext _call;

        public AttemptContext(ResilienceContext call, int attempt, CancellationToken cancellationToken)
        {
            _call = call;
            Attempt = attempt;
            CancellationToken = cancellationToken;
        }

        /// <summary>1 for the first attempt.</summary>
        public int Attempt { get; }

        public CancellationToken CancellationToken { get; }

        /// <summary>The call's observers (progress, retries, HTTP exchanges), or null.</summary>
        public CodatCallOptions? CallOptions => _call.Properties.GetValue(CallProperties.CallOptions, null);

        /// <summary>The API operation id of the call (list-files, upload-files, download-files).</summary>
        public string OperationName => _call.Properties.GetValue(CallProperties.Operation, null!).Name;

        public void ReportProgress(long bytes, long? total)
        {
            _call.Properties.GetValue(CallProperties.CallOptions, null)?.Progress?.Report(new TransferProgress(bytes, total, Attempt));
        }

        /// <summary>No attempt may follow this one, for the reason given (it ends up in the final error).</summary>
        public void BlockRetries(string reason)
        {
            _call.Properties.Set(CallProperties.RetryBlockedReason, reason);
        }
    }
}
