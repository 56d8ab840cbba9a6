using System;
using System.IO;

namespace CodatFiles.Client
{
    /// <summary>
    /// One file to upload. The content is opened anew for each attempt (so a retry resends it from the start)
    /// and read while it is sent: the client never holds a whole file in memory.
    /// </summary>
    public sealed class UploadFile
    {
        /// <summary>Creates an upload from any re-openable source.</summary>
        /// <param name="fileName">The name Codat stores; any characters are allowed, the client escapes them.</param>
        /// <param name="length">Length in bytes, when known (used for progress and Content-Length).</param>
        /// <param name="openRead">Opens a fresh readable stream positioned at the start; called once per attempt.</param>
        public UploadFile(string fileName, long? length, Func<Stream> openRead)
        {
            if (string.IsNullOrEmpty(fileName)) throw new ArgumentException("A file name is required.", nameof(fileName));
            FileName = fileName;
            Length = length;
            OpenRead = openRead ?? throw new ArgumentNullException(nameof(openRead));
        }

        /// <summary>An upload of a local file, named as on disk unless <paramref name="fileName"/> is given.</summary>
        public static UploadFile FromPath(string path, string? fileName = null) => FromFile(new FileInfo(path), fileName);

        /// <summary>
        /// An upload of a local file as <paramref name="file"/> last saw it: its length and write time are taken
        /// from the FileInfo (not read again), and a file found longer, shorter or rewritten when it is sent fails
        /// with <see cref="CodatUploadSourceException"/> instead of sending other bytes than were checked.
        /// </summary>
        public static UploadFile FromFile(FileInfo file, string? fileName = null)
        {
            if (file is null) throw new ArgumentNullException(nameof(file));
            var fullName = file.FullName;
            var checkedWriteTime = file.LastWriteTimeUtc;
            return new UploadFile(fileName ?? file.Name, file.Length,
                () => new FileStream(fullName, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
            {
                _changeSinceChecked = () =>
                {
                    var now = File.GetLastWriteTimeUtc(fullName);
                    return now == checkedWriteTime
                        ? null
                        : $"was rewritten while it was sent (last written {checkedWriteTime:yyyy-MM-dd HH:mm:ss.fff} UTC when it was checked, {now:yyyy-MM-dd HH:mm:ss.fff} UTC after it was read)";
                },
            };
        }

        private Func<string?>? _changeSinceChecked;

        /// <summary>For a local file: what changed since its length and write time were taken, or null.</summary>
        internal string? ChangeSinceChecked() => _changeSinceChecked?.Invoke();

        /// <summary>The file name sent in the multipart part.</summary>
        public string FileName { get; }

        /// <summary>Length in bytes, when known.</summary>
        public long? Length { get; }

        /// <summary>Opens the content for one attempt.</summary>
        public Func<Stream> OpenRead { get; }

        /// <inheritdoc />
        public override string ToString() => FileName;
    }
}
