using System;
using System.Collections.Generic;

namespace CodatFiles.Client
{
    /// <summary>
    /// One file of an upload request could not be sent as it was prepared: its source could not be opened or read
    /// (deleted, locked, unreadable, a dangling link), or it changed size or content while it was sent. The fault
    /// is that file's, not the network's, so the call is not retried; the request was cut off before its end, so
    /// Codat stored none of its files. The caller can send the request again without <see cref="File"/>.
    /// <see cref="Exception.InnerException"/> is the error the source raised (e.g. FileNotFoundException), or an
    /// IOException saying what changed.
    /// </summary>
    public sealed class CodatUploadSourceException : CodatException
    {
        /// <summary>Creates the exception.</summary>
        public CodatUploadSourceException(UploadFile file, bool changedWhileSent, int attempts, IReadOnlyList<string> foundStored, Exception inner)
            : base($"'{file?.FileName}' could not be uploaded: {inner?.Message}", "upload-files", attempts, inner?.Message ?? string.Empty, null, inner)
        {
            File = file ?? throw new ArgumentNullException(nameof(file));
            ChangedWhileSent = changedWhileSent;
            FoundStored = foundStored ?? Array.Empty<string>();
        }

        /// <summary>The file whose source failed.</summary>
        public UploadFile File { get; }

        /// <summary>
        /// True when the file changed while it was sent (more or fewer bytes than its declared length, or a newer
        /// write time); false when it could not be opened or read.
        /// </summary>
        public bool ChangedWhileSent { get; }

        /// <summary>
        /// Files of the request that an earlier attempt of this call stored (found by the check after an attempt
        /// whose outcome was unknown; see <see cref="CodatUploadResult.FoundStored"/>): they must not be sent again.
        /// </summary>
        public IReadOnlyList<string> FoundStored { get; }
    }
}
