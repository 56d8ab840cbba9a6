using System;
using System.Globalization;
using CodatFiles.Pipeline;

namespace CodatFiles.Download
{
    /// <summary>How far the extraction of one archive got: files handled (written or failed) and their uncompressed bytes.</summary>
    internal readonly struct ExtractionProgress
    {
        public ExtractionProgress(int filesDone, int filesTotal, long bytesDone, long bytesTotal)
        {
            FilesDone = filesDone;
            FilesTotal = filesTotal;
            BytesDone = bytesDone;
            BytesTotal = bytesTotal;
        }

        public int FilesDone { get; }

        public int FilesTotal { get; }

        public long BytesDone { get; }

        public long BytesTotal { get; }

        /// <summary>
        /// The download bar's status while its archive is extracted; it keeps the received size, which the bar
        /// showed until then.
        /// </summary>
        public TransferStage ToStage(long archiveBytes)
        {
            var verb = FilesDone < FilesTotal ? "extracting" : "extracted";
            var status = string.Format(CultureInfo.CurrentCulture, "Received {0}; {1} {2} of {3} {4}, {5} of {6}",
                ByteSize.Format(archiveBytes), verb, FilesDone, FilesTotal, FilesTotal == 1 ? "file" : "files",
                ByteSize.Format(BytesDone), ByteSize.Format(BytesTotal));
            return new TransferStage(status, Percent());
        }

        private int Percent()
        {
            if (BytesTotal > 0) return (int)Math.Min(100, BytesDone * 100 / BytesTotal);
            return FilesTotal > 0 ? FilesDone * 100 / FilesTotal : 100;
        }
    }
}
