using System;
using System.IO;
using CodatFiles.Pipeline;

namespace CodatFiles.Download
{
    /// <summary>What the destination holds at a listed file's local path.</summary>
    internal enum LocalCopyState
    {
        /// <summary>Nothing: the file is to be downloaded.</summary>
        Missing,

        /// <summary>A file whose last write time is the upload time, as Save-CodatFiles writes it: saved already.</summary>
        UpToDate,

        /// <summary>A file with another time (touched, edited, or another file of that name): kept unless -Force.</summary>
        Differs,

        /// <summary>A folder or something else that is not a file: the write reports it.</summary>
        NotAFile,
    }

    /// <summary>
    /// Save-CodatFiles as a sync: decides, before anything is downloaded, which listed files the destination lacks.
    /// The folder is the state (there is no state file): a local file with the file's local name and its upload time
    /// as last write time is what an earlier save wrote, so it is skipped. A file with that name and another time is
    /// kept, with a warning naming it and -Force, and never an error, so a nightly job under -ErrorAction Stop goes
    /// on. Every skip is said in -Verbose and counted as skipped in the summary.
    /// </summary>
    internal sealed class LocalCopies
    {
        /// <summary>
        /// Times closer than this are one time: FAT volumes keep write times in 2-second steps; every other file
        /// system keeps the upload time Save sets exactly.
        /// </summary>
        public static readonly TimeSpan SameTime = TimeSpan.FromSeconds(2);

        private readonly bool _force;
        private readonly Action<string> _verbose;
        private readonly Action<string> _warning;
        private readonly TransferTally _tally;

        public LocalCopies(bool force, Action<string> verbose, Action<string> warning, TransferTally tally)
        {
            _force = force;
            _verbose = verbose;
            _warning = warning;
            _tally = tally;
        }

        /// <summary>The full path a listed file is saved to under <paramref name="destination"/>.</summary>
        public static string PathOf(CatalogFile file, string destination) => Path.Combine(destination, file.LocalPath.Replace('/', Path.DirectorySeparatorChar));

        /// <summary>
        /// True when the file is to be downloaded: missing, or differing under -Force. Otherwise says why it is
        /// skipped (-Verbose when up to date, a warning when a different file is kept) and counts it: up to date, or skipped.
        /// </summary>
        public bool NeedsDownload(CatalogFile file, string destination)
        {
            var path = PathOf(file, destination);
            switch (StateOf(path, file.UploadedUtc))
            {
                case LocalCopyState.UpToDate:
                    _verbose($"'{path}' is up to date: its last write time is the upload time of Codat's '{file.Describe()}'; skipped.");
                    CountKept(_tally, path, LocalCopyState.UpToDate);
                    return false;
                case LocalCopyState.Differs when _force:
                    _verbose($"'{path}' differs from Codat's '{file.Describe()}' (last written {WrittenAt(path)}); replaced (-Force).");
                    return true;
                case LocalCopyState.Differs:
                    _warning($"'{path}' was kept: it has the name of Codat's '{file.Describe()}' but was last written {WrittenAt(path)}, " +
                        "so it was changed or is another file. Use -Force to replace it with Codat's copy, or save into another folder.");
                    CountKept(_tally, path, LocalCopyState.Differs);
                    return false;
                default:
                    return true;
            }
        }

        /// <summary>The state of <paramref name="path"/> against an upload time (null: unknown, so a file there differs).</summary>
        public static LocalCopyState StateOf(string path, DateTime? uploadedUtc)
        {
            if (Directory.Exists(path)) return LocalCopyState.NotAFile;
            if (!File.Exists(path)) return LocalCopyState.Missing;
            if (!(uploadedUtc is DateTime uploaded)) return LocalCopyState.Differs;
            var written = File.GetLastWriteTimeUtc(path);
            return (written - uploaded).Duration() < SameTime ? LocalCopyState.UpToDate : LocalCopyState.Differs;
        }

        /// <summary>
        /// Counts an existing file left in place: as up to date when it is, else as skipped (a different file kept).
        /// Its size is read only for the summary's byte count.
        /// </summary>
        public static void CountKept(TransferTally tally, string path, LocalCopyState state)
        {
            long bytes = 0;
            try
            {
                bytes = new FileInfo(path).Length;
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                // The count matters, not the byte total.
            }
            if (state == LocalCopyState.UpToDate) tally.AddUpToDate(1, bytes);
            else tally.AddSkipped(1, bytes);
        }

        private static string WrittenAt(string path) => CodatTimes.FormatUtc(File.GetLastWriteTimeUtc(path));
    }
}
