using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using CodatFiles.FileSystem;
using CodatFiles.Pipeline;

namespace CodatFiles.Upload
{
    /// <summary>
    /// Applies <see cref="ReRunRule"/> to each file of a Send-CodatFile call against its company's start list: says
    /// why in -Verbose (a warning where the evidence is unclear), counts each skip as already stored, and at the end
    /// gives the warnings owed for names the call holds more local files of than Codat holds entries: a skipped
    /// file of such a name may differ from every stored copy. Thread-safe: workers decide, the pipeline thread counts
    /// local files and takes the final warnings.
    /// </summary>
    internal sealed class ReRunFilter
    {
        private readonly ReRunMode _mode;
        private readonly Func<DateTimeOffset, DateTimeOffset?> _toServerClock;
        private readonly TransferTally _tally;
        private readonly object _gate = new object();
        private readonly Dictionary<(Guid Company, string NfcName), int> _localFiles = new Dictionary<(Guid, string), int>();
        private readonly List<(Guid Company, FileInfo File, StoredName Stored)> _skipped = new List<(Guid, FileInfo, StoredName)>();

        /// <param name="mode">The call's mode (-Force, -SkipExisting or neither).</param>
        /// <param name="toServerClock">This machine's time on Codat's clock (the client's estimate); null when unknown.</param>
        /// <param name="tally">Where skips are counted, as already stored.</param>
        public ReRunFilter(ReRunMode mode, Func<DateTimeOffset, DateTimeOffset?> toServerClock, TransferTally tally)
        {
            _mode = mode;
            _toServerClock = toServerClock;
            _tally = tally;
        }

        /// <summary>Counts one local file the call holds for a company (each file once), for the same-name warnings.</summary>
        public void CountLocal(Guid companyId, FileInfo file)
        {
            var key = (companyId, NfcName.Of(file.Name));
            lock (_gate) _localFiles[key] = (_localFiles.TryGetValue(key, out var count) ? count : 0) + 1;
        }

        /// <summary>
        /// Whether to send <paramref name="file"/>, given what its company held at the start of the call; the note
        /// (why, for -Verbose or a warning) goes to <paramref name="note"/>. A skip is counted here.
        /// </summary>
        public bool ShouldSend(Guid companyId, FileInfo file, StoredFileIndex stored, ReRunNote note)
        {
            var found = stored.Find(file.Name);
            var lastWrite = new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero);
            var lastWriteOnServer = _toServerClock(lastWrite) ?? lastWrite;
            var verdict = ReRunRule.Decide(found, lastWriteOnServer, _mode);
            if (found != null) Explain(verdict, companyId, file, found, lastWriteOnServer, note);
            if (verdict.Sends()) return true;

            _tally.AddUpToDate(1, file.Length);
            lock (_gate) _skipped.Add((companyId, file, found!));
            return false;
        }

        /// <summary>
        /// The warnings owed at the end of the call: each skipped file whose name the call holds more local files of
        /// (for that company) than Codat holds entries, since it may differ from every stored copy.
        /// </summary>
        public IReadOnlyList<string> SameNameWarnings()
        {
            var warnings = new List<string>();
            lock (_gate)
            {
                foreach (var (company, file, stored) in _skipped)
                {
                    var local = _localFiles.TryGetValue((company, NfcName.Of(file.Name)), out var count) ? count : 1;
                    if (local <= stored.Entries) continue;
                    warnings.Add($"'{file.FullName}' was not sent: company {company} holds {Counted.Files(stored.Entries)} named " +
                                 $"'{stored.Name}' (newest uploaded {Time(stored.NewestUploadedAt)}), but this call has {local} local files of that " +
                                 "name, so this one may differ from every stored copy. To send it anyway, run again with -Force.");
                }
            }
            return warnings;
        }

        private void Explain(ReRunVerdict verdict, Guid companyId, FileInfo file, StoredName stored, DateTimeOffset lastWriteOnServer, ReRunNote note)
        {
            var holds = $"company {companyId} holds '{stored.Name}' (newest of {stored.Entries} uploaded {Time(stored.NewestUploadedAt)} on Codat's clock)";
            var written = $"the local file was last written {Time(lastWriteOnServer)} on Codat's clock";
            switch (verdict)
            {
                case ReRunVerdict.SkipStored:
                    note.Verbose($"Skipping '{file.FullName}', already stored: {holds}, and {written}, not more than {Seconds(ReRunRule.TieBand)} later" +
                                 (_mode == ReRunMode.SkipStoredNames ? " (-SkipExisting)." : ". -Force sends it anyway."));
                    break;
                case ReRunVerdict.SkipStoredNameNewer:
                    note.Warning($"'{file.FullName}' was not sent because of -SkipExisting, although it looks newer: {holds}, and {written}. " +
                                 "Without -SkipExisting, newer files are sent.");
                    break;
                case ReRunVerdict.SendNewer:
                    note.Verbose($"Sending '{file.FullName}' as a newer version: {holds}, and {written}.");
                    break;
                case ReRunVerdict.SendTimeUnknown:
                    note.Warning($"Sending '{file.FullName}' although {holds}: Codat gave no upload time for it, so whether the local file " +
                                 "is newer cannot be told, and it may now be stored twice. -SkipExisting skips stored names whatever the time.");
                    break;
                case ReRunVerdict.SendForced:
                    note.Verbose($"Sending '{file.FullName}' (-Force) although {holds}.");
                    break;
            }
        }

        private static string Time(DateTimeOffset? time) => time is DateTimeOffset value ? CodatTimes.FormatUtc(value.UtcDateTime) : "at an unknown time";

        private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s";
    }

    /// <summary>Where a <see cref="ReRunFilter"/> decision's explanation goes (posted by workers, written by the pipeline thread).</summary>
    internal sealed class ReRunNote
    {
        private readonly Action<string> _verbose;
        private readonly Action<string> _warning;

        public ReRunNote(Action<string> verbose, Action<string> warning)
        {
            _verbose = verbose;
            _warning = warning;
        }

        public static ReRunNote To(PipelineMessageQueue messages) => new ReRunNote(messages.WriteVerbose, messages.WriteWarning);

        public void Verbose(string text) => _verbose(text);

        public void Warning(string text) => _warning(text);
    }
}
