using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CodatFiles.Client.Internal;

namespace CodatFiles.FileSystem
{
    /// <summary>
    /// Finds and removes the temporary files a crashed run of the module left (killed, power lost): files of its own
    /// naming scheme (<see cref="PartialFileName"/>), not written or created in the last <see cref="MinimumAge"/>, and
    /// not in use. "In use" is tested by opening the file for exclusive access: every run of the module writes its
    /// temporary files with exclusive access and reads a downloaded archive with shared access, so a file another run
    /// is working on cannot be opened that way, and the open that succeeds deletes the file as it closes.
    /// </summary>
    internal static class Leftovers
    {
        /// <summary>
        /// A live run holds its temporary files open except for the moment between closing one and renaming or
        /// reopening it; a file untouched this long is no longer in that moment.
        /// </summary>
        public static readonly TimeSpan MinimumAge = TimeSpan.FromSeconds(10);

        // A downloaded archive: .<companyId>[_<yyyy-MM-dd>].zip.<8 hex>.partial, the only thing the module puts in a
        // shared temporary folder, which other programs' files share.
        private static readonly Regex ArchiveName = new Regex(
            @"^\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(_\d{4}-\d{2}-\d{2})?\.zip\.[0-9a-f]{8}\.partial$",
            RegexOptions.CultureInvariant);

        /// <summary>Leftover archives in the staging folder (-TemporaryPath or the system temp folder), not its subfolders.</summary>
        public static IReadOnlyList<string> InStaging(string folder, DateTime nowUtc) =>
            Find(new[] { folder }, name => ArchiveName.IsMatch(name), nowUtc);

        /// <summary>Any leftover of the scheme in the destination and its direct subfolders (one per source type).</summary>
        public static IReadOnlyList<string> InDestination(string folder, DateTime nowUtc)
        {
            if (!Directory.Exists(folder)) return Array.Empty<string>();
            IEnumerable<string> folders;
            try
            {
                folders = new[] { folder }.Concat(Directory.GetDirectories(folder)).ToList();
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                folders = new[] { folder };
            }
            return Find(folders, PartialFileName.IsPartialName, nowUtc);
        }

        /// <summary>Removes <paramref name="path"/> if nothing holds it open; false when in use or already gone.</summary>
        public static bool TryRemove(string path)
        {
            try
            {
                // Exclusive, and deleted as it closes: no other run can open it in between.
                using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose))
                {
                }
                return !File.Exists(path);
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                return false;
            }
        }

        private static List<string> Find(IEnumerable<string> folders, Func<string, bool> isOurs, DateTime nowUtc)
        {
            var found = new List<string>();
            foreach (var folder in folders)
            {
                try
                {
                    found.AddRange(Directory.EnumerateFiles(folder, ".*.partial")
                        .Where(path => isOurs(Path.GetFileName(path)) && IsOldEnough(path, nowUtc)));
                }
                catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
                {
                    // A folder that cannot be read holds nothing this run can remove.
                }
            }
            return found;
        }

        private static bool IsOldEnough(string path, DateTime nowUtc)
        {
            var newest = File.GetLastWriteTimeUtc(path);
            var created = File.GetCreationTimeUtc(path);
            if (created > newest) newest = created;
            return nowUtc - newest >= MinimumAge;
        }
    }
}
