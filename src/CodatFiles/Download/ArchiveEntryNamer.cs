using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace CodatFiles.Download
{
    /// <summary>
    /// The one class that knows how Codat names the entries of a download archive. That naming is inferred, not
    /// documented (docs/design/contracts.md; the emulator's ZipEntryNamer is the reference): <c>&lt;sourceType&gt;/&lt;fileName&gt;</c>,
    /// and a name already used in the archive (compared case-insensitively) becomes <c>stem (2).ext</c>,
    /// <c>stem (3).ext</c>, …, the first free one, in upload order. Fed the files of one archive in list order,
    /// <see cref="NameFor"/> predicts which entry holds which file. Because the prediction may be wrong,
    /// <see cref="Locate"/> finds a file whose predicted entry is missing by its file name anywhere in the archive,
    /// the n-th upload of a name taking the n-th entry of that name (unnumbered first, then by copy number).
    /// </summary>
    internal sealed class ArchiveEntryNamer
    {
        // A copy's decoration between stem and extension: " (2)", "(2)", " [2]", "_2", "-2", " 2".
        private static readonly Regex CopyDecoration = new Regex(@"^\s*[\(\[_\-]?\s*(\d{1,9})\s*[\)\]]?$", RegexOptions.CultureInvariant);

        private readonly HashSet<string> _used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The predicted entry name of the next file of the archive.</summary>
        public string NameFor(string? sourceType, string? fileName)
        {
            var folder = SafeSegment(sourceType);
            var name = SafeSegment(fileName);
            var candidate = folder + "/" + name;
            var (stem, extension) = Split(name);
            for (var copy = 2; !_used.Add(candidate); copy++)
            {
                candidate = folder + "/" + stem + " (" + copy + ")" + extension;
            }
            return candidate;
        }

        /// <summary>
        /// Codat lists the uploaded name exactly, but in the zip separators and control characters become '_'.
        /// This is also the name a file is looked for by when its predicted entry is missing.
        /// </summary>
        public static string SafeSegment(string? value)
        {
            var safe = new string((value ?? string.Empty).Select(c => c == '/' || c == '\\' || char.IsControl(c) ? '_' : c).ToArray());
            return safe.Length == 0 || safe == "." || safe == ".." ? "_" : safe;
        }

        /// <summary>
        /// The archive entry (of <paramref name="fileEntries"/>, in archive order) that holds each wanted file:
        /// its predicted name when the archive has it, else the entry its file name and upload order point to.
        /// Files found in neither way are missing from the answer.
        /// </summary>
        public static IReadOnlyDictionary<ArchiveTarget, string> Locate(IReadOnlyList<ArchiveTarget> wanted, IReadOnlyList<string> fileEntries)
        {
            var present = new HashSet<string>(fileEntries, StringComparer.Ordinal);
            var claimed = new HashSet<string>(StringComparer.Ordinal);
            var found = new Dictionary<ArchiveTarget, string>();
            foreach (var target in wanted)
            {
                if (present.Contains(target.PredictedEntryName) && claimed.Add(target.PredictedEntryName)) found.Add(target, target.PredictedEntryName);
            }

            foreach (var sameName in wanted.Where(target => !found.ContainsKey(target)).GroupBy(target => target.FileName, StringComparer.OrdinalIgnoreCase))
            {
                // Every entry carrying this name, in the order Codat's uploads of the name would take them.
                var copies = fileEntries
                    .Select((entry, index) => (Entry: entry, Index: index, Copy: CopyNumber(LastSegment(entry), sameName.Key)))
                    .Where(candidate => candidate.Copy != null)
                    .OrderBy(candidate => candidate.Copy)
                    .ThenBy(candidate => candidate.Index)
                    .Select(candidate => candidate.Entry)
                    .ToList();
                foreach (var target in sameName)
                {
                    var entry = target.Occurrence < copies.Count && !claimed.Contains(copies[target.Occurrence])
                        ? copies[target.Occurrence]
                        : copies.FirstOrDefault(copy => !claimed.Contains(copy));
                    if (entry == null) continue;
                    claimed.Add(entry);
                    found.Add(target, entry);
                }
            }
            return found;
        }

        /// <summary>0 for the name itself, n for a numbered copy of it (e.g. "a (2).pdf", "a_2.pdf"), null for another name.</summary>
        private static int? CopyNumber(string entryName, string fileName)
        {
            if (string.Equals(entryName, fileName, StringComparison.OrdinalIgnoreCase)) return 0;
            var (stem, extension) = Split(fileName);
            if (entryName.Length <= stem.Length + extension.Length
                || !entryName.StartsWith(stem, StringComparison.OrdinalIgnoreCase)
                || !entryName.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
            var match = CopyDecoration.Match(entryName.Substring(stem.Length, entryName.Length - stem.Length - extension.Length));
            return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
        }

        private static string LastSegment(string entryName)
        {
            var slash = Math.Max(entryName.LastIndexOf('/'), entryName.LastIndexOf('\\'));
            return slash < 0 ? entryName : entryName.Substring(slash + 1);
        }

        // As .NET's Path.GetFileNameWithoutExtension / Path.GetExtension split a name without separators (the
        // server's rule): a trailing dot belongs to neither part, so "a." repeats as "a (2)".
        internal static (string Stem, string Extension) Split(string name)
        {
            var lastDot = name.LastIndexOf('.');
            var stem = lastDot < 0 ? name : name.Substring(0, lastDot);
            var extension = lastDot < 0 || lastDot == name.Length - 1 ? string.Empty : name.Substring(lastDot);
            return (stem, extension);
        }
    }
}
