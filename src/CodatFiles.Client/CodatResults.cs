using System;
using System.Collections.Generic;

namespace CodatFiles.Client
{
    /// <summary>The outcome of a successful upload request.</summary>
    public sealed class CodatUploadResult
    {
        /// <summary>Creates a result.</summary>
        public CodatUploadResult(IReadOnlyList<string> fileNames, long bytes, int attempts, DateTimeOffset completedAt, CodatRateLimit? rateLimit,
            IReadOnlyList<string>? foundStored = null)
        {
            FoundStored = foundStored ?? Array.Empty<string>();
            FileNames = fileNames;
            Bytes = bytes;
            Attempts = attempts;
            CompletedAt = completedAt;
            RateLimit = rateLimit;
        }

        /// <summary>Names of the files sent, in order.</summary>
        public IReadOnlyList<string> FileNames { get; }

        /// <summary>
        /// Files not sent again after an attempt whose outcome was unknown, because listing the company's files
        /// showed them stored by it (see <see cref="CodatAmbiguousAttempt"/>). They are part of <see cref="FileNames"/>.
        /// </summary>
        public IReadOnlyList<string> FoundStored { get; }

        /// <summary>File bytes sent in the successful attempt.</summary>
        public long Bytes { get; }

        /// <summary>Attempts made, the successful one included.</summary>
        public int Attempts { get; }

        /// <summary>
        /// When Codat accepted the request, on Codat's clock: the answer's Date header (whole seconds), or for files
        /// found stored after an attempt with no answer, the newest upload time of their entries.
        /// </summary>
        public DateTimeOffset CompletedAt { get; }

        /// <summary>Rate-limit headers of the successful response.</summary>
        public CodatRateLimit? RateLimit { get; }
    }

    /// <summary>The outcome of a successful download.</summary>
    public sealed class CodatDownloadResult
    {
        /// <summary>Creates a result.</summary>
        public CodatDownloadResult(long bytes, int attempts, string? contentType)
        {
            Bytes = bytes;
            Attempts = attempts;
            ContentType = contentType;
        }

        /// <summary>Bytes written to the destination.</summary>
        public long Bytes { get; }

        /// <summary>Attempts made, the successful one included.</summary>
        public int Attempts { get; }

        /// <summary>Content-Type of the response (application/octet-stream from Codat).</summary>
        public string? ContentType { get; }
    }
}
