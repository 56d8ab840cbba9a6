using System;
using System.Threading;
using CodatFiles.Client;

namespace CodatFiles.Pipeline
{
    /// <summary>One running transfer; the client reports its bytes here (IProgress, any thread).</summary>
    internal sealed class TransferHandle : IProgress<TransferProgress>
    {
        private long _bytesTransferred;
        private long _totalBytes;
        private int _attempt = 1;
        private TransferStage? _stage;

        public TransferHandle(string description, long? totalBytes)
        {
            Description = description;
            _totalBytes = totalBytes ?? -1;
        }

        public string Description { get; }

        public long BytesTransferred => Interlocked.Read(ref _bytesTransferred);

        public long? TotalBytes
        {
            get
            {
                var total = Interlocked.Read(ref _totalBytes);
                return total < 0 ? (long?)null : total;
            }
        }

        public int Attempt => Volatile.Read(ref _attempt);

        /// <summary>The stage that follows the bytes (see <see cref="ShowStage"/>), or null while bytes are moving.</summary>
        public TransferStage? Stage => Volatile.Read(ref _stage);

        /// <summary>
        /// True once the reporter's EndTransfer was called; its bar keeps showing this transfer until one update
        /// showed how it ended. Read and written under the reporter's lock.
        /// </summary>
        internal bool Ended { get; set; }

        public void Report(TransferProgress value)
        {
            // Must not throw: it runs inside the client's transfer.
            Interlocked.Exchange(ref _bytesTransferred, value.BytesTransferred);
            if (value.TotalBytes is long total) Interlocked.Exchange(ref _totalBytes, total);
            Volatile.Write(ref _attempt, value.Attempt);
        }

        /// <summary>The bar shows <paramref name="stage"/> instead of the byte count from now on (any thread).</summary>
        public void ShowStage(TransferStage stage) => Volatile.Write(ref _stage, stage);
    }
}
