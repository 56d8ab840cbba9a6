using System;
using System.Threading;

namespace CodatFiles.Pipeline
{
    /// <summary>
    /// The counts of one cmdlet call, kept from any thread: files and bytes done, skipped and failed, HTTP
    /// requests and retries. The overall progress bar shows them while the call runs and the summary record at the
    /// end is made from them, so both always tell the same numbers.
    /// </summary>
    internal sealed class TransferTally
    {
        private long _filesDone;
        private long _bytesDone;
        private long _filesSkipped;
        private long _bytesSkipped;
        private long _filesFailed;
        private long _bytesFailed;
        private long _requests;
        private long _retries;

        public void AddDone(long files, long bytes)
        {
            Interlocked.Add(ref _filesDone, files);
            Interlocked.Add(ref _bytesDone, bytes);
        }

        /// <summary>Files the call left alone on purpose (declined under -WhatIf or -Confirm, or not to be overwritten).</summary>
        public void AddSkipped(long files, long bytes)
        {
            Interlocked.Add(ref _filesSkipped, files);
            Interlocked.Add(ref _bytesSkipped, bytes);
        }

        /// <summary>Files that got an error, before sending or from their request.</summary>
        public void AddFailed(long files, long bytes)
        {
            Interlocked.Add(ref _filesFailed, files);
            Interlocked.Add(ref _bytesFailed, bytes);
        }

        /// <summary>One HTTP exchange (each attempt of each call counts).</summary>
        public void AddRequest() => Interlocked.Increment(ref _requests);

        public void AddRetry() => Interlocked.Increment(ref _retries);

        public long FilesSkipped => Interlocked.Read(ref _filesSkipped);

        /// <summary>"3 requests, 1 retry", for the progress bar.</summary>
        public string DescribeRequests() =>
            Counted.Of(Interlocked.Read(ref _requests), "request", "requests") + ", " +
            Counted.Of(Interlocked.Read(ref _retries), "retry", "retries");

        public CodatTransferSummary ToSummary(string command, TimeSpan elapsed) => new CodatTransferSummary(
            command,
            Interlocked.Read(ref _filesDone), Interlocked.Read(ref _bytesDone),
            Interlocked.Read(ref _filesSkipped), Interlocked.Read(ref _bytesSkipped),
            Interlocked.Read(ref _filesFailed), Interlocked.Read(ref _bytesFailed),
            Interlocked.Read(ref _requests), Interlocked.Read(ref _retries),
            elapsed);
    }
}
