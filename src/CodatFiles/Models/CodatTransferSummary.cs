using System;
using System.Collections.Generic;
using System.Management.Automation;
using CodatFiles.Pipeline;

namespace CodatFiles
{
    /// <summary>
    /// The totals of one Send-CodatFile or Save-CodatFiles call, written once at its end to the Information stream
    /// with the tags <see cref="Tag"/> and PSHOST. Like Write-Host's messages it is a HostInformationMessage, so a
    /// console shows its text (<see cref="HostInformationMessage.Message"/>, at most 80 columns wide) whatever
    /// $InformationPreference says; -InformationAction Ignore or 6&gt;$null silence it, -InformationVariable keeps it.
    /// </summary>
    public sealed class CodatTransferSummary : HostInformationMessage
    {
        /// <summary>The tag of the summary's InformationRecord.</summary>
        public const string Tag = "CodatFiles.Summary";

        /// <summary>The tag by which the host shows an Information record whatever the preference (Write-Host's).</summary>
        public const string HostTag = "PSHOST";

        internal CodatTransferSummary(string command, string upToDateWords, long filesDone, long bytesDone, long filesUpToDate, long bytesUpToDate,
            long filesSkipped, long bytesSkipped,
            long filesFailed, long bytesFailed, long requests, long retries, TimeSpan elapsed, IReadOnlyList<CodatFailureGroup> failures)
        {
            Command = command;
            FilesDone = filesDone;
            BytesDone = bytesDone;
            FilesUpToDate = filesUpToDate;
            BytesUpToDate = bytesUpToDate;
            FilesSkipped = filesSkipped;
            BytesSkipped = bytesSkipped;
            FilesFailed = filesFailed;
            BytesFailed = bytesFailed;
            Requests = requests;
            Retries = retries;
            Elapsed = elapsed;
            Failures = failures;
            Message = SummaryText.Of(this, upToDateWords);
        }

        /// <summary>The cmdlet the totals are of, e.g. Send-CodatFile.</summary>
        public string Command { get; }

        /// <summary>Result objects written: files uploaded (Send-CodatFile), files or archives saved (Save-CodatFiles).</summary>
        public long FilesDone { get; }

        /// <summary>Bytes of the files done.</summary>
        public long BytesDone { get; }

        /// <summary>
        /// Files already where they belong, so not transferred: for Send-CodatFile, already stored by Codat (see
        /// about_CodatFiles, "Re-runs"); for Save-CodatFiles, a local copy whose last write time is the upload time.
        /// Under -WhatIf, the files that would be left alone for that reason.
        /// </summary>
        public long FilesUpToDate { get; }

        /// <summary>Bytes of the files up to date (0 where the size is not known before the transfer).</summary>
        public long BytesUpToDate { get; }

        /// <summary>
        /// Files left alone on purpose for another reason: declined under -WhatIf or -Confirm, or a different local
        /// file of that name kept by Save-CodatFiles without -Force.
        /// </summary>
        public long FilesSkipped { get; }

        /// <summary>Bytes of the files skipped (0 where the size is not known before the transfer).</summary>
        public long BytesSkipped { get; }

        /// <summary>
        /// Files that did not get there: each error written counts the files it covers (a whole-call error every
        /// file in its TargetObject, a failed download every file listed for it), and at least one.
        /// </summary>
        public long FilesFailed { get; }

        /// <summary>Bytes of the files that failed (0 where the size is not known).</summary>
        public long BytesFailed { get; }

        /// <summary>HTTP requests sent, each attempt counted.</summary>
        public long Requests { get; }

        /// <summary>Requests that were retries of a failed attempt.</summary>
        public long Retries { get; }

        /// <summary>From the start of the call until the summary was written.</summary>
        public TimeSpan Elapsed { get; }

        /// <summary>The errors written, by error id and place, in the order they came.</summary>
        public IReadOnlyList<CodatFailureGroup> Failures { get; }

        /// <summary>The text a console shows (<see cref="HostInformationMessage.Message"/>), lines of at most 80 columns.</summary>
        public override string ToString() => Message;
    }
}
