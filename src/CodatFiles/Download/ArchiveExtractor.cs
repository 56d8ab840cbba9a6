using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using CodatFiles.Errors;
using CodatFiles.FileSystem;

namespace CodatFiles.Download
{
    /// <summary>
    /// Writes entries of a downloaded archive under a destination directory, each to the relative path it is
    /// given (by default its own name, keeping the archive's folders). Each file is written to a <see cref="TemporaryFile"/> beside its target and renamed when complete, so a failure or
    /// Ctrl+C leaves no half-written file. Entries that would land outside the destination (zip-slip: "../x",
    /// rooted names) are refused. Existing files are replaced only with -Force; otherwise each is kept and
    /// reported as kept, and the other files are still written. Each file's last write time is its upload time,
    /// set before it takes its final name.
    /// </summary>
    internal sealed class ArchiveExtractor
    {
        /// <summary>-MaximumFileSize's default: 100 MB, ten times Codat's 10 MB limit per file.</summary>
        public const long DefaultMaxFileBytes = 100L * 1024 * 1024;
        private const int CopyBufferSize = 81920;
        private static readonly bool IsWindowsPath = Path.DirectorySeparatorChar == '\\';

        private readonly bool _force;
        private readonly long _maxFileBytes;
        private readonly ExpansionBound _expansionBound;
        private readonly SavedPaths _savedThisCall;
        private readonly CancellationToken _cancellationToken;

        /// <summary>One extractor per call: it keeps what the call saved (<see cref="SavedPaths"/>), so archives are extracted one at a time.</summary>
        /// <summary>
        /// No file over <paramref name="maxFileBytes"/> is written (Codat's files are 10 MB at most), and no archive
        /// whose entries declare more in total than <paramref name="expansionBound"/> allows.
        /// </summary>
        public ArchiveExtractor(bool force, long maxFileBytes, ExpansionBound expansionBound, SavedPaths savedThisCall,
            CancellationToken cancellationToken)
        {
            _force = force;
            _maxFileBytes = maxFileBytes;
            _expansionBound = expansionBound;
            _savedThisCall = savedThisCall;
            _cancellationToken = cancellationToken;
        }

        /// <summary>
        /// Writes the files of <paramref name="targets"/> to their relative paths, each taken from the entry
        /// <see cref="ArchiveEntryNamer.Locate"/> finds for it; with <paramref name="everyEntry"/>, every entry under
        /// its own name instead, the targets (null when unknown) only checked for being there. Reports each
        /// written file, each existing file kept (not replaced without -Force: up to date, or differing) and each
        /// per-file failure, and how far it got before the first entry and after each one;
        /// returns the targets the archive did not hold. Throws OperationCanceledException when cancelled, after
        /// removing the partial file; InvalidDataException when the archive cannot be read, and
        /// <see cref="ArchiveExpansionException"/> when its entries declare more than the expansion bound, both
        /// before anything is written.
        /// </summary>
        public IReadOnlyList<ArchiveTarget> Extract(
            string archivePath, string destination, Guid companyId, IReadOnlyList<ArchiveTarget>? targets, bool everyEntry, Func<string, CatalogFile?> listedFileAt,
            Action<FileInfo, CatalogFile?> written, Action<string, LocalCopyState> kept, Action<ErrorRecord> failed, Action<ExtractionProgress> progressed)
        {
            var notFound = new List<ArchiveTarget>();
            using (var stream = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read))
            using (var archive = new ZipArchive(stream, ZipArchiveMode.Read))
            {
                _expansionBound.ThrowIfExceeded(stream.Length, archive.Entries);
                var selected = Select(archive, targets, everyEntry, listedFileAt, notFound);
                long bytesTotal = 0;
                foreach (var (entry, _, _) in selected) bytesTotal += entry.Length;
                var filesDone = 0;
                long bytesDone = 0;
                progressed(new ExtractionProgress(filesDone, selected.Count, bytesDone, bytesTotal));

                foreach (var (entry, relativePath, listed) in selected)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    var target = SafeTargetPath(destination, relativePath);
                    if (target == null)
                    {
                        failed(ErrorRecordFactory.UnsafeArchiveEntry(relativePath, destination));
                    }
                    else
                    {
                        ErrorRecord? error;
                        LocalCopyState? keptState = null;
                        try
                        {
                            error = WriteEntry(entry, target, companyId, listed?.UploadedUtc ?? ArchiveTimeOf(entry), out keptState);
                        }
                        catch (Exception exception) when (!(exception is OperationCanceledException))
                        {
                            error = ErrorRecordFactory.FromException(exception, target, $"Writing '{target}'");
                        }

                        if (error != null) failed(error);
                        else if (keptState is LocalCopyState state) kept(target, state);
                        else written(new FileInfo(target), listed);
                    }
                    filesDone++;
                    bytesDone += entry.Length;
                    progressed(new ExtractionProgress(filesDone, selected.Count, bytesDone, bytesTotal));
                }
            }
            return notFound;
        }

        /// <summary>
        /// The archive's entries to write, in archive order, each with the relative path it goes to and the listed
        /// file it holds (null when the list does not say).
        /// </summary>
        private static List<(ZipArchiveEntry Entry, string RelativePath, CatalogFile? Listed)> Select(
            ZipArchive archive, IReadOnlyList<ArchiveTarget>? targets, bool everyEntry, Func<string, CatalogFile?> listedFileAt,
            List<ArchiveTarget> notFound)
        {
            // Folder entries have no name; folders are created for their files.
            var fileEntries = archive.Entries.Where(entry => entry.Name.Length > 0).ToList();
            IReadOnlyDictionary<ArchiveTarget, string> located = targets == null
                ? new Dictionary<ArchiveTarget, string>()
                : ArchiveEntryNamer.Locate(targets, fileEntries.Select(entry => entry.FullName).ToList());
            if (targets != null) notFound.AddRange(targets.Where(target => !located.ContainsKey(target)));
            if (everyEntry)
            {
                // Each listed file under its local name; an entry the list did not name under its own, made valid.
                return fileEntries.Select(entry => listedFileAt(entry.FullName) is CatalogFile listed
                    ? (entry, listed.LocalPath, (CatalogFile?)listed)
                    : (entry, LocalNamer.UnlistedPath(entry.FullName, LocalNameRules.Current), (CatalogFile?)null)).ToList();
            }
            var targetByEntry = located.ToDictionary(found => found.Value, found => found.Key, StringComparer.Ordinal);
            return fileEntries
                .Where(entry => targetByEntry.ContainsKey(entry.FullName))
                .Select(entry => (entry, targetByEntry[entry.FullName].RelativePath, (CatalogFile?)targetByEntry[entry.FullName].File))
                .ToList();
        }

        /// <summary>The full path for an entry, or null when it would fall outside <paramref name="destination"/> (a full path).</summary>
        public static string? SafeTargetPath(string destination, string entryName)
        {
            var withSeparator = destination.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal)
                ? destination
                : destination + Path.DirectorySeparatorChar;
            var relative = entryName.Replace('\\', '/');
            if (relative.StartsWith("/", StringComparison.Ordinal) || Path.IsPathRooted(relative) || (IsWindowsPath && relative.IndexOf(':') >= 0))
            {
                return null;
            }

            string full;
            try
            {
                full = Path.GetFullPath(Path.Combine(destination, relative.Replace('/', Path.DirectorySeparatorChar)));
            }
            catch (Exception exception) when (exception is ArgumentException || exception is NotSupportedException || exception is PathTooLongException)
            {
                return null;
            }

            return full.StartsWith(withSeparator, LocalPathComparison.Comparison) && full.Length > withSeparator.Length ? full : null;
        }

        /// <summary>
        /// Writes one entry to <paramref name="target"/>: null when written, else the error. A file already there
        /// (not from this call) is kept without -Force, <paramref name="kept"/> telling whether it is up to date.
        /// </summary>
        private ErrorRecord? WriteEntry(ZipArchiveEntry entry, string target, Guid companyId, DateTime? lastWriteUtc, out LocalCopyState? kept)
        {
            kept = null;
            if (_savedThisCall.SavedBy(target) is Guid savedFor) return ErrorRecordFactory.SavedByThisCall(target, companyId, savedFor);
            if (Directory.Exists(target)) return ErrorRecordFactory.FromException(
                new IOException($"'{target}' is a directory."), target, $"Writing '{target}'");
            if (File.Exists(target) && !_force)
            {
                kept = LocalCopies.StateOf(target, lastWriteUtc);
                return null;
            }
            if (entry.Length > _maxFileBytes) return ErrorRecordFactory.ArchiveEntryRefused(target, $"declares {entry.Length:N0} bytes", _maxFileBytes);

            var directory = Path.GetDirectoryName(target);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);

            using (var partial = TemporaryFile.Beside(target))
            {
                using (var output = partial.Create(useAsync: false))
                {
                    if (CopyChecked(entry, output, target) is ErrorRecord refused) return refused;
                }

                // Stamped before the rename, so a file under its final name always has its upload time: a crash
                // cannot leave a complete file dated "now", which a re-run would take for a changed one.
                if (lastWriteUtc is DateTime utc) File.SetLastWriteTimeUtc(partial.Path, DateTime.SpecifyKind(utc, DateTimeKind.Utc));

                // Checked again: the file may have appeared while this one was written.
                if (File.Exists(target) && !_force)
                {
                    kept = LocalCopies.StateOf(target, lastWriteUtc);
                    return null;
                }
                partial.MoveTo(target);
                _savedThisCall.Add(target, companyId);
            }
            return null;
        }

        /// <summary>Copies the entry's content, refusing one that inflates beyond its declared size or fails its checksum.</summary>
        private ErrorRecord? CopyChecked(ZipArchiveEntry entry, Stream output, string target)
        {
            var checksum = new EntryChecksum();
            using (var input = entry.Open())
            {
                var buffer = new byte[CopyBufferSize];
                long written = 0;
                int read;
                while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    written += read;
                    // A zip bomb lies about its sizes: stop at the first byte past what the entry declared.
                    if (written > entry.Length) return ErrorRecordFactory.ArchiveEntryRefused(target, $"inflates beyond the {entry.Length:N0} bytes it declares", _maxFileBytes);
                    checksum.Add(buffer, 0, read);
                    output.Write(buffer, 0, read);
                }
            }

            // Where the runtime cuts such an entry short at its declared size instead, its checksum tells.
            return EntryChecksum.DeclaredFor(entry) is uint declared && declared != checksum.Value
                ? ErrorRecordFactory.ArchiveEntryDamaged(target, entry.Length)
                : null;
        }

        /// <summary>
        /// The entry's own time, for a file Codat's list did not name: a zip stores local time without a zone, in
        /// two-second steps, so it is only a fallback to the upload time the list gives. Null when unset (1980).
        /// </summary>
        private static DateTime? ArchiveTimeOf(ZipArchiveEntry entry) =>
            entry.LastWriteTime.Year <= 1980 ? (DateTime?)null : entry.LastWriteTime.UtcDateTime;
    }
}
