using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CodatFiles.Upload
{
    /// <summary>
    /// Where each file of one batch stands while it is uploaded, for its progress bar: the files still to settle,
    /// and how many are done (uploaded or already stored) or failed, with the bytes done. Each file is settled once:
    /// done, failed, or handed to the end-of-call check. Used by one worker at a time.
    /// </summary>
    internal sealed class BatchOutcome
    {
        public BatchOutcome(IReadOnlyList<FileInfo> files)
        {
            Pending = files;
        }

        /// <summary>The files not settled yet, in batch order.</summary>
        public IReadOnlyList<FileInfo> Pending { get; private set; }

        public int Succeeded { get; private set; }

        public int Failed { get; private set; }

        public long BytesDone { get; private set; }

        /// <summary>Files that got there (uploaded, found stored, or already stored before the call).</summary>
        public void Done(IReadOnlyCollection<FileInfo> files)
        {
            Succeeded += files.Count;
            BytesDone += files.Sum(file => file.Length);
            Settle(files);
        }

        /// <summary>Files that failed (their error is written, or covered by a whole-call error).</summary>
        public void Fail(IReadOnlyCollection<FileInfo> files)
        {
            Failed += files.Count;
            Settle(files);
        }

        /// <summary>Files decided elsewhere (by the check at the end of the call): neither done nor failed here.</summary>
        public void Settle(IReadOnlyCollection<FileInfo> files)
        {
            if (files.Count == 0) return;
            var settled = new HashSet<FileInfo>(files);
            Pending = Pending.Where(file => !settled.Contains(file)).ToList();
        }
    }
}
