using System;
using System.Collections.Generic;
using System.IO.Compression;

namespace CodatFiles.Download
{
    /// <summary>
    /// The whole-archive bound of extraction: the entries of an archive may declare, in total, at most the larger
    /// of <see cref="FloorBytes"/> and the ratio times the archive's size on disk. Codat's files (PDFs, images,
    /// office documents, CSVs of 10 MB at most) compress a few tens to one at most, so a real archive stays far
    /// below 100 to one; a zip bomb does not. Checked before anything is written.
    /// </summary>
    internal sealed class ExpansionBound
    {
        /// <summary>Any archive may declare this much, however small it is.</summary>
        public const long FloorBytes = 100L * 1024 * 1024;

        public const int DefaultRatio = 100;

        public ExpansionBound(int ratio) => Ratio = ratio;

        /// <summary>-MaximumExpansionRatio: how many times its own size an archive may declare.</summary>
        public int Ratio { get; }

        /// <summary>The most an archive of <paramref name="archiveBytes"/> may declare (saturating, never overflowing).</summary>
        public long BoundFor(long archiveBytes)
        {
            var scaled = archiveBytes > long.MaxValue / Ratio ? long.MaxValue : archiveBytes * Ratio;
            return scaled > FloorBytes ? scaled : FloorBytes;
        }

        /// <summary>Throws <see cref="ArchiveExpansionException"/> when the entries declare more than the bound.</summary>
        public void ThrowIfExceeded(long archiveBytes, IEnumerable<ZipArchiveEntry> entries)
        {
            long declared = 0;
            foreach (var entry in entries)
            {
                // Saturating: a hostile archive may declare sizes whose sum does not fit in a long.
                declared = entry.Length > long.MaxValue - declared ? long.MaxValue : declared + entry.Length;
            }

            var bound = BoundFor(archiveBytes);
            if (declared > bound) throw new ArchiveExpansionException(declared, archiveBytes, Ratio, bound);
        }
    }

    /// <summary>An archive whose entries declare more than <see cref="ExpansionBound"/> allows; nothing of it was written.</summary>
    internal sealed class ArchiveExpansionException : Exception
    {
        public ArchiveExpansionException(long declaredBytes, long archiveBytes, int ratio, long boundBytes)
            : base($"The archive's entries declare {declaredBytes:N0} bytes uncompressed from {archiveBytes:N0} bytes on disk, more than the bound of {boundBytes:N0} bytes.")
        {
            DeclaredBytes = declaredBytes;
            ArchiveBytes = archiveBytes;
            Ratio = ratio;
            BoundBytes = boundBytes;
        }

        public long DeclaredBytes { get; }

        public long ArchiveBytes { get; }

        public int Ratio { get; }

        public long BoundBytes { get; }
    }
}
