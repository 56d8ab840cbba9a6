using System;
using System.Collections.Generic;
using System.IO;

namespace CodatFiles.Upload
{
    /// <summary>The local side of a batch about to be sent: which files can be opened now, and which are which by name.</summary>
    internal static class UploadSources
    {
        /// <summary>
        /// Why <paramref name="file"/> cannot be opened for reading now (deleted, locked, unreadable, a dangling
        /// link), or null. Opening is all it does: its length and write time stay those the resolver read, and a
        /// file that changes after this is caught while it is sent.
        /// </summary>
        public static Exception? OpenFailure(FileInfo file)
        {
            try
            {
                using (new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1))
                {
                }

                return null;
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                return exception;
            }
        }

        /// <summary>
        /// The files of <paramref name="sending"/> (other than <paramref name="except"/>) that <paramref name="names"/>
        /// name, each name standing for one file, in order.
        /// </summary>
        public static List<FileInfo> Named(IReadOnlyList<string> names, IReadOnlyList<FileInfo> sending, FileInfo? except)
        {
            var left = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var name in names) left[name] = left.TryGetValue(name, out var count) ? count + 1 : 1;

            var found = new List<FileInfo>();
            foreach (var file in sending)
            {
                if (ReferenceEquals(file, except) || !left.TryGetValue(file.Name, out var count) || count == 0) continue;
                left[file.Name] = count - 1;
                found.Add(file);
            }

            return found;
        }
    }
}
