using System;
using System.IO;
using System.Text;

namespace CodatFiles.Download
{
    /// <summary>
    /// The one owner of a file being written: it lives under a temporary name beside its final path until
    /// <see cref="MoveTo"/> puts it in place, and disposing it removes it unless it was moved, so a failure or Ctrl+C
    /// leaves nothing half-written. Every temporary file of the module (downloaded archives, extracted entries) is
    /// named the same way as the client's own: <c>.&lt;final name&gt;.&lt;8 hex&gt;.partial</c>, hidden on Unix,
    /// and one glob (<c>.*.partial</c>) finds any leftover. Where that would pass the 255 bytes a file name may have,
    /// the final name part is shortened, so any name the file system accepts can be written.
    /// </summary>
    internal sealed class TemporaryFile : IDisposable
    {
        private const int MaxNameBytes = 255;
        private static readonly Encoding Utf8 = new UTF8Encoding(false);

        private bool _moved;

        private TemporaryFile(string path) => Path = path;

        /// <summary>Where the content is written until it is moved into place.</summary>
        public string Path { get; }

        /// <summary>A temporary name in the folder of <paramref name="finalPath"/>, so the move is a rename on one volume.</summary>
        public static TemporaryFile Beside(string finalPath)
        {
            var full = System.IO.Path.GetFullPath(finalPath);
            var folder = System.IO.Path.GetDirectoryName(full) ?? Directory.GetCurrentDirectory();
            var suffix = "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial";
            var name = "." + ShortenToBytes(System.IO.Path.GetFileName(full), MaxNameBytes - 1 - Utf8.GetByteCount(suffix)) + suffix;
            return new TemporaryFile(System.IO.Path.Combine(folder, name));
        }

        /// <summary>
        /// The longest start of <paramref name="name"/> that fits <paramref name="maxBytes"/> in UTF-8 (the unit of
        /// Linux's and macOS's 255-byte limit; Windows counts 255 UTF-16 units, which never exceed the UTF-8 bytes).
        /// A surrogate pair is kept or dropped whole.
        /// </summary>
        private static string ShortenToBytes(string name, int maxBytes)
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

        /// <summary>Opens the temporary file for writing; it must not exist yet (the name is fresh).</summary>
        public FileStream Create(bool useAsync) =>
            new FileStream(Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, useAsync);

        /// <summary>Puts the finished file at <paramref name="finalPath"/>, replacing a file already there.</summary>
        public void MoveTo(string finalPath)
        {
            if (File.Exists(finalPath)) File.Delete(finalPath);
            File.Move(Path, finalPath);
            _moved = true;
        }

        /// <summary>Removes the temporary file unless it was moved into place. Best effort.</summary>
        public void Dispose()
        {
            if (!_moved) TryDelete(Path);
        }

        private static void TryDelete(string path)
        {
            try
            {
                if (File.Exists(path)) File.Delete(path);
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                // A leftover temporary file is better than hiding the real outcome.
            }
        }
    }
}
