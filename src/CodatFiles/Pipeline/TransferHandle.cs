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

        public TransferHandle(string description, long? totalBytes, TransferProgressReporter.ChildBar? bar)
        {
            Description = description;
            _totalBytes = totalBytes ?? -1;
            Bar = bar;
        }

        public string Description { get; }

        internal TransferProgressReporter.ChildBar? Bar { get; }

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

        public void Report(TransferProgress value)
        {
            // Must not throw: it runs inside the client's transfer.
            Interlocked.Exchange(ref _bytesTransferred, value.BytesTransferred);
            if (value.TotalBytes is long total) Interlocked.Exchange(ref _totalBytes, total);
            Volatile.Write(ref _attempt, value.Attempt);
        }
    }
}
