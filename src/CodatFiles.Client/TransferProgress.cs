namespace CodatFiles.Client
{
    /// <summary>Bytes moved so far in one attempt of a transfer.</summary>
    public readonly struct TransferProgress
    {
        /// <summary>Creates a progress report.</summary>
        public TransferProgress(long bytesTransferred, long? totalBytes, int attempt)
        {
            BytesTransferred = bytesTransferred;
            TotalBytes = totalBytes;
            Attempt = attempt;
        }

        /// <summary>Bytes sent (upload) or received (download) in this attempt.</summary>
        public long BytesTransferred { get; }

        /// <summary>Total bytes when known (upload file bytes; download Content-Length).</summary>
        public long? TotalBytes { get; }

        /// <summary>1 for the first attempt, 2 for the first retry, and so on.</summary>
        public int Attempt { get; }
    }
}
