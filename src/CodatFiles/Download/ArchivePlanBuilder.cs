using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using CodatFiles.Client;

namespace CodatFiles.Download
{
    /// <summary>Which entries of a downloaded archive to write, and which asked-for files it did not contain.</summary>
    internal sealed class ExtractionPlan
    {
        public ExtractionPlan(IReadOnlyList<string>? entryNames, IReadOnlyList<FileSelection> missing)
        {
            EntryNames = entryNames;
            Missing = missing;
        }

        /// <summary>Entry full names to write; null writes every entry.</summary>
        public IReadOnlyList<string>? EntryNames { get; }

        public IReadOnlyList<FileSelection> Missing { get; }
    }

    /// <summary>
    /// Maps asked-for files onto the entries of a downloaded archive (on a worker, before anything is written).
    /// Entries are <c>&lt;SourceType&gt;/&lt;FileName&gt;</c>; a second file of the same name in a folder is
    /// <c>name (2).ext</c>, and so on, in upload order. When a name occurs more often in the archive than it was
    /// asked for, the upload order from list-files tells which of the numbered entries are the asked-for ones.
    /// </summary>
    internal static class ArchivePlanBuilder
    {
        public static async Task<ExtractionPlan> BuildAsync(
            string archivePath, DownloadJob job, Func<CancellationToken, Task<IReadOnlyList<CodatFile>>> listFiles,
            Action<string> verbose, CancellationToken cancellationToken)
        {
            if (job.Selections == null) return new ExtractionPlan(null, Array.Empty<FileSelection>());

            List<ArchiveEntryName> entries;
            using (var stream = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read))
            using (var archive = new ZipArchive(stream, ZipArchiveMode.Read))
            {
                entries = archive.Entries
                    .Where(entry => entry.Name.Length > 0)
                    .Select(entry => new ArchiveEntryName(entry.FullName))
                    .ToList();
            }

            var chosen = new List<string>();
            var missing = new List<FileSelection>();
            IReadOnlyList<CodatFile>? listed = null;

            foreach (var group in job.Selections.GroupBy(s => (s.SourceType?.ToUpperInvariant(), s.FileName)))
            {
                var asked = group.ToList();
                var sourceType = asked[0].SourceType;
                var fileName = asked[0].FileName;
                var candidates = entries
                    .Select(entry => (Entry: entry, Number: entry.DuplicateNumberOf(fileName)))
                    .Where(c => c.Number > 0 && (sourceType == null || string.Equals(c.Entry.Folder, sourceType, StringComparison.OrdinalIgnoreCase)))
                    .OrderBy(c => c.Entry.Folder, StringComparer.Ordinal)
                    .ThenBy(c => c.Number)
                    .ToList();

                if (candidates.Count == 0)
                {
                    missing.AddRange(asked);
                    continue;
                }

                if (asked.Count >= candidates.Count || sourceType == null)
                {
                    // Every candidate was asked for (or the folder is unknown, so the numbering cannot be tied to uploads).
                    chosen.AddRange(candidates.Select(c => c.Entry.FullName));
                    continue;
                }

                // Fewer asked for than present: find each asked file's place in the upload order of its name.
                try
                {
                    listed ??= await listFiles(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
                {
                    verbose($"Could not list files to tell apart the copies of '{sourceType}/{fileName}' ({exception.Message}); writing all {candidates.Count}.");
                    chosen.AddRange(candidates.Select(c => c.Entry.FullName));
                    continue;
                }

                var sameName = listed
                    .Where(f => string.Equals(f.FileName, fileName, StringComparison.Ordinal)
                                && string.Equals(f.SourceType, sourceType, StringComparison.OrdinalIgnoreCase)
                                && (job.Day == null || (f.UploadedAt is DateTimeOffset at && at.UtcDateTime.Date == job.Day.Value.Date)))
                    .Select((f, index) => (File: f, Index: index))
                    .OrderBy(x => x.File.UploadedAt ?? DateTimeOffset.MaxValue)
                    .ThenBy(x => x.Index)
                    .Select(x => x.File)
                    .ToList();

                var used = new bool[sameName.Count];
                foreach (var selection in asked)
                {
                    var rank = -1;
                    for (var i = 0; i < sameName.Count; i++)
                    {
                        if (used[i] || selection.UploadedUtc == null || sameName[i].UploadedAt == null) continue;
                        if (Math.Abs((sameName[i].UploadedAt!.Value.UtcDateTime - selection.UploadedUtc.Value).TotalSeconds) < 1)
                        {
                            used[i] = true;
                            rank = i + 1;
                            break;
                        }
                    }

                    var match = candidates.FirstOrDefault(c => c.Number == rank);
                    if (rank > 0 && match.Entry != null) chosen.Add(match.Entry.FullName);
                    else missing.Add(selection);
                }
            }

            return new ExtractionPlan(chosen.Distinct(StringComparer.Ordinal).ToList(), missing);
        }

        /// <summary>An archive entry's folder and file name, and how it relates to an uploaded file name.</summary>
        private sealed class ArchiveEntryName
        {
            public ArchiveEntryName(string fullName)
            {
                FullName = fullName;
                var normalized = fullName.Replace('\\', '/');
                var slash = normalized.LastIndexOf('/');
                Folder = slash < 0 ? string.Empty : normalized.Substring(0, slash);
                Name = slash < 0 ? normalized : normalized.Substring(slash + 1);
            }

            public string FullName { get; }

            public string Folder { get; }

            public string Name { get; }

            /// <summary>1 when this entry is <paramref name="fileName"/> itself, n for "base (n).ext", 0 otherwise.</summary>
            public int DuplicateNumberOf(string fileName)
            {
                if (string.Equals(Name, fileName, StringComparison.Ordinal)) return 1;
                // Not Path.GetExtension: on .NET Framework it throws for characters Codat allows in names.
                var dot = fileName.LastIndexOf('.');
                var extension = dot > 0 ? fileName.Substring(dot) : string.Empty;
                var stem = fileName.Substring(0, fileName.Length - extension.Length);
                var match = Regex.Match(Name, "^" + Regex.Escape(stem) + @" \((\d+)\)" + Regex.Escape(extension) + "$");
                return match.Success && int.TryParse(match.Groups[1].Value, out var number) && number > 1 ? number : 0;
            }
        }
    }
}
