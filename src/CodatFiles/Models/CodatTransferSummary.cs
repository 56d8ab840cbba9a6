using System;
using System.Globalization;
using CodatFiles.Pipeline;

namespace CodatFiles
{
    /// <summary>
    /// The totals of one Send-CodatFile or Save-CodatFiles call, written once at its end to the Information stream
    /// with the tag <see cref="Tag"/>: see them with -InformationAction Continue, keep them with -InformationVariable.
    /// </summary>
    public sealed class CodatTransferSummary
    {
        /// <summary>The tag of the summary's InformationRecord.</summary>
        public const string Tag = "CodatFiles.Summary";

        internal CodatTransferSummary(string command, long filesDone, long bytesDone, long filesSkipped, long bytesSkipped,
            long filesFailed, long bytesFailed, long requests, long retries, TimeSpan elapsed)
        {
            Command = command;
            FilesDone = filesDone;
            BytesDone = bytesDone;
            FilesSkipped = filesSkipped;
            BytesSkipped = bytesSkipped;
            FilesFailed = filesFailed;
            BytesFailed = bytesFailed;
            Requests = requests;
            Retries = retries;
            Elapsed = elapsed;
        }

        /// <summary>The cmdlet the totals are of, e.g. Send-CodatFile.</summary>
        public string Command { get; }

        /// <summary>Files uploaded (Send-CodatFile) or saved (Save-CodatFiles).</summary>
        public long FilesDone { get; }

        /// <summary>Bytes of the files done.</summary>
        public long BytesDone { get; }

        /// <summary>Files left alone on purpose: declined under -WhatIf or -Confirm.</summary>
        public long FilesSkipped { get; }

        /// <summary>Bytes of the files skipped (0 where the size is not known before the transfer).</summary>
        public long BytesSkipped { get; }

        /// <summary>Files that got an error.</summary>
        public long FilesFailed { get; }

        /// <summary>Bytes of the files that failed (0 where the size is not known).</summary>
        public long BytesFailed { get; }

        /// <summary>HTTP requests sent, each attempt counted.</summary>
        public long Requests { get; }

        /// <summary>Requests that were retries of a failed attempt.</summary>
        public long Retries { get; }

        /// <summary>From the start of the call until the summary was written.</summary>
        public TimeSpan Elapsed { get; }

        /// <summary>e.g. "Send-CodatFile: 3 files done (1.5 MB), 0 skipped, 1 failed (2 KB); 3 requests, 1 retry; 2.4 s."</summary>
        public override string ToString() => string.Format(CultureInfo.CurrentCulture,
            "{0}: {1} done ({2}), {3} skipped, {4} failed ({5}); {6}, {7}; {8:0.0} s.",
            Command, Counted.Files(FilesDone), ByteSize.Format(BytesDone), FilesSkipped, FilesFailed, ByteSize.Format(BytesFailed),
            Counted.Of(Requests, "request", "requests"), Counted.Of(Retries, "retry", "retries"), Elapsed.TotalSeconds);
    }
}
