using System;
using System.Management.Automation;
using System.Threading;

namespace CodatFiles.Pipeline
{
    /// <summary>
    /// The counts of one cmdlet call, kept from any thread: files and bytes done, skipped and failed, HTTP
    /// requests and retries. The overall progress bar shows them while the call runs and the summary record at the
    /// end is made from them, so both always tell the same numbers. Failures are counted only as their errors are
    /// written (<see cref="CountWrittenError"/>), so the failed count is never other than what the call reported.
    /// </summary>
    internal sealed class TransferTally
    {
        private long _filesDone;
        private long _bytesDone;
        private long _filesUpToDate;
        private long _bytesUpToDate;
        private long _filesSkipped;
        private long _bytesSkipped;
        private long _filesFailed;
        private long _bytesFailed;
        private long _requests;
        private long _retries;
        private readonly FailureGroups _failures = new FailureGroups();

        /// <summary>Files that reached their destination; call it where their result objects are written.</summary>
        public void AddDone(long files, long bytes)
        {
            Interlocked.Add(ref _filesDone, files);
            Interlocked.Add(ref _bytesDone, bytes);
        }

        /// <summary>
        /// Files already where they belong, so not transferred: already stored by Codat (Send-CodatFile's re-run
        /// rule), or a local copy up to date (Save-CodatFiles). Under -WhatIf, those that would be.
        /// </summary>
        public void AddUpToDate(long files, long bytes)
        {
            Interlocked.Add(ref _filesUpToDate, files);
            Interlocked.Add(ref _bytesUpToDate, bytes);
        }

        /// <summary>Files the call left alone on purpose: declined under -WhatIf or -Confirm, or a different local file kept.</summary>
        public void AddSkipped(long files, long bytes)
        {
            Interlocked.Add(ref _filesSkipped, files);
            Interlocked.Add(ref _bytesSkipped, bytes);
        }

        /// <summary>
        /// An error the call wrote, standing for <paramref name="files"/> files that did not get there (at least
        /// one: every error is a failure of something), with where it is, for the summary.
        /// </summary>
        public void CountWrittenError(ErrorRecord error, long files, long bytes)
        {
            files = Math.Max(1, files);
            Interlocked.Add(ref _filesFailed, files);
            Interlocked.Add(ref _bytesFailed, bytes);
            _failures.Add(error, files);
        }

        /// <summary>One HTTP exchange (each attempt of each call counts).</summary>
        public void AddRequest() => Interlocked.Increment(ref _requests);

        public void AddRetry() => Interlocked.Increment(ref _retries);

        public long FilesSkipped => Interlocked.Read(ref _filesSkipped);

        public long FilesUpToDate => Interlocked.Read(ref _filesUpToDate);

        /// <summary>Files left alone, up to date or skipped: what the progress bar calls skipped.</summary>
        public long FilesLeftAlone => FilesSkipped + FilesUpToDate;

        /// <summary>"3 requests, 1 retry", for the progress bar.</summary>
        public string DescribeRequests() =>
            Counted.Of(Interlocked.Read(ref _requests), "request", "requests") + ", " +
            Counted.Of(Interlocked.Read(ref _retries), "retry", "retries");

        /// <param name="command">The cmdlet's name.</param>
        /// <param name="elapsed">The call's time so far.</param>
        /// <param name="upToDateWords">What up to date means for this cmdlet, as the summary words it ("already stored").</param>
        public CodatTransferSummary ToSummary(string command, TimeSpan elapsed, string upToDateWords) => new CodatTransferSummary(
            command, upToDateWords,
            Interlocked.Read(ref _filesDone), Interlocked.Read(ref _bytesDone),
            Interlocked.Read(ref _filesUpToDate), Interlocked.Read(ref _bytesUpToDate),
            Interlocked.Read(ref _filesSkipped), Interlocked.Read(ref _bytesSkipped),
            Interlocked.Read(ref _filesFailed), Interlocked.Read(ref _bytesFailed),
            Interlocked.Read(ref _requests), Interlocked.Read(ref _retries),
            elapsed, _failures.ToList());
    }
}
