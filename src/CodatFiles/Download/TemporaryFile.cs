using System;
using System.IO;
using CodatFiles.Client.Internal;

namespace CodatFiles.Download
{
    /// <summary>
    /// The one owner of a file being written: it lives under a temporary name beside its final path until
    /// <see cref="MoveTo"/> puts it in place, and disposing it removes it unless it was moved, so a failure or Ctrl+C
    /// leaves nothing half-written. Every temporary file of the module (downloaded archives, extracted entries) is
    /// named by the client's own rule (<see cref="PartialFileName"/>): <c>.&lt;final name&gt;.&lt;8 hex&gt;.partial</c>,
    /// hidden on Unix, at most 255 bytes, and one glob (<c>.*.partial</c>) finds any leftover.
    /// </summary>
    internal sealed class TemporaryFile : IDisposable
    {
        private bool _moved;

        private TemporaryFile(string path) => Path = path;

        /// <summary>Where the content is written until it is moved into place.</summary>
        public string Path { get; }

        /// <summary>A temporary name in the folder of <paramref name="finalPath"/>, so the move is a rename on one volume.</summary>
        public static TemporaryFile Beside(string finalPath) => new TemporaryFile(PartialFileName.Beside(finalPath));

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
