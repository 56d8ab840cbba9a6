using System;
using System.Collections.Generic;
using System.Linq;

namespace CodatFiles.Download
{
    /// <summary>
    /// Names the entries of a download archive the way Codat does (docs/design/contracts.md; the emulator's
    /// ZipEntryNamer is the reference): <c>&lt;sourceType&gt;/&lt;fileName&gt;</c>, and a name already used in the
    /// archive (compared case-insensitively) becomes <c>stem (2).ext</c>, <c>stem (3).ext</c>, …, the first free one,
    /// in upload order. Fed the files of one archive in list order, it says which entry holds which file; fed all of
    /// a company's files, it gives each file the name it has in the whole-company archive.
    /// </summary>
    internal sealed class ArchiveEntryNamer
    {
        private readonly HashSet<string> _used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The entry name of the next file of the archive.</summary>
        public string NameFor(string? sourceType, string? fileName)
        {
            var folder = MakeSafeSegment(sourceType ?? string.Empty);
            var name = MakeSafeSegment(fileName ?? string.Empty);
            var candidate = folder + "/" + name;

            // As .NET's Path.GetFileNameWithoutExtension / Path.GetExtension split a name without separators (the
            // server's rule): a trailing dot belongs to neither part, so "a." repeats as "a (2)".
            var lastDot = name.LastIndexOf('.');
            var stem = lastDot < 0 ? name : name.Substring(0, lastDot);
            var extension = lastDot < 0 || lastDot == name.Length - 1 ? string.Empty : name.Substring(lastDot);
            for (var copy = 2; !_used.Add(candidate); copy++)
            {
                candidate = folder + "/" + stem + " (" + copy + ")" + extension;
            }
            return candidate;
        }

        // Codat lists the uploaded name exactly, but in the zip separators and control characters become '_'.
        private static string MakeSafeSegment(string value)
        {
            var safe = new string(value.Select(c => c == '/' || c == '\\' || char.IsControl(c) ? '_' : c).ToArray());
            return safe.Length == 0 || safe == "." || safe == ".." ? "_" : safe;
        }
    }
}
