using System;

namespace CodatFiles.Client
{
    /// <summary>Per-call settings: overrides of the client's retry policy and observers of the call.</summary>
    public sealed class CodatCallOptions
    {
        /// <summary>Retry policy for this call; null uses the client's <see cref="CodatClientOptions.Retry"/>.</summary>
        public CodatRetryOptions? Retry { get; set; }

        /// <summary>Byte-level progress of the transfer (upload body or download body). Restarts at 0 on a retry.</summary>
        public IProgress<TransferProgress>? Progress { get; set; }

        /// <summary>Told before each retry wait: why the attempt failed and how long the client will wait.</summary>
        public Action<CodatRetryEvent>? OnRetry { get; set; }

        /// <summary>
        /// Told after each HTTP request of the call got its response headers or failed: method, URL, status,
        /// duration, attempt and X-Rate-Limit-Remaining. Called on the thread that ran the request; keep it quick.
        /// </summary>
        public Action<CodatHttpExchange>? OnHttpExchange { get; set; }

        /// <summary>
        /// Told when an upload attempt failed after its whole request was sent and the client listed the company's
        /// files to find out what was stored before re-sending (see <see cref="CodatAmbiguousAttempt"/>).
        /// </summary>
        public Action<CodatAmbiguousAttempt>? OnAmbiguousAttempt { get; set; }

        /// <summary>
        /// For uploads: what the company held when the caller's work began, and the uploads confirmed since (see
        /// <see cref="CodatUploadBaseline"/>). With it, an attempt that got no answer is credited as stored only when
        /// the company's list shows more entries of the name than expected; without it, only the upload times are
        /// left to judge by, and an earlier upload of the same name in the same seconds could be taken for it.
        /// </summary>
        public CodatUploadBaseline? UploadBaseline { get; set; }
    }
}
