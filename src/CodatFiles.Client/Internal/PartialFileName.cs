using System;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// The one owner of temporary names, for the client's download-to-file and every file the module writes
    /// (downloaded archives, extracted files): <c>.&lt;final name&gt;.&lt;8 hex&gt;.partial</c> beside the final
    /// path, hidden on Unix, so the final move is a rename on one volume. Where that would pass the 255 bytes a file
    /// name may have, the final-name part is shortened, so any name the file system accepts can be written. The
    /// module finds what a crashed run left by the same scheme (<see cref="IsPartialName"/>).
    /// </summary>
    /// <remarks>
    /// Internal, shared with the module through InternalsVisibleTo: the scheme is an agreement between the two
    /// assemblies, which ship and version together, not a promise to other users of the client.
    /// </remarks>
    internal static class PartialFileName
    {
        /// <summary>The most bytes of a file name on Linux and macOS (UTF-8); Windows' 255 UTF-16 units never exceed it.</summary>
        public const int MaxNameBytes = 255;

        private const string Extension = ".partial";
        private static readonly Encoding Utf8 = new UTF8Encoding(false);
        private static readonly Regex Scheme = new Regex(@"^\..*\.[0-9a-f]{8}\.partial$", RegexOptions.CultureInvariant | RegexOptions.Singleline);

        /// <summary>A fresh temporary path in the folder of <paramref name="finalPath"/>.</summary>
        public static string Beside(string finalPath)
        {
            var full = Path.GetFullPath(finalPath);
            var folder = Path.GetDirectoryName(full) ?? Directory.GetCurrentDirectory();
            return Path.Combine(folder, For(Path.GetFileName(full), Guid.NewGuid().ToString("N").Substring(0, 8)));
        }

        /// <summary>The temporary name of <paramref name="finalName"/> with the given 8 hex digits; at most 255 bytes.</summary>
        public static string For(string finalName, string hex)
        {
            var suffix = "." + hex + Extension;
            return "." + ShortenToBytes(finalName, MaxNameBytes - 1 - Utf8.GetByteCount(suffix)) + suffix;
        }

        /// <summary>True for a name this scheme makes: a leftover when no run of the module is writing it.</summary>
        public static bool IsPartialName(string fileName) => Scheme.IsMatch(fileName);

        /// <summary>
        /// The longest start of <paramref name="name"/> that fits <paramref name="maxBytes"/> in UTF-8. A surrogate
        /// pair is kept or dropped whole.
        /// </summary>
        public static string ShortenToBytes(string name, int maxBytes)
        {
            if (Utf8.GetByteCount(name) <= maxBytes) return name;
            var length = 0;
            var bytes = 0;
            while (length < name.Length)
            {
                var width = char.IsHighSurrogate(name[length]) && length + 1 < name.Length ? 2 : 1;
                var next = Utf8.GetByteCount(name.Substring(length, width));
                if (bytes + next > maxBytes) break;
                bytes += next;
                length += width;
            }
            return name.Substring(0, length);
        }
    }
}
