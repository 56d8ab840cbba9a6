using System.IO.Compression;
using System.Reflection;

namespace CodatFiles.Download
{
    /// <summary>
    /// The CRC-32 of an entry's bytes as they are written, checked against the one its archive declares. On .NET
    /// (Core) ZipArchive stops inflating a deflated entry at the size it declares, so an entry that inflates past
    /// it is cut short silently rather than seen to grow; its checksum then does not match. On .NET Framework,
    /// which has no public ZipArchiveEntry.Crc32, such an entry grows past its declared size and is stopped there.
    /// </summary>
    internal sealed class EntryChecksum
    {
        private static readonly uint[] Table = BuildTable();

        // Public on .NET Core 3.0 and later; absent from netstandard2.0 and .NET Framework.
        private static readonly PropertyInfo? Crc32Property = typeof(ZipArchiveEntry).GetProperty("Crc32", BindingFlags.Public | BindingFlags.Instance);

        private uint _crc = 0xFFFFFFFFu;

        /// <summary>The checksum the archive declares for the entry, or null where the runtime does not expose it.</summary>
        public static uint? DeclaredFor(ZipArchiveEntry entry) => Crc32Property?.GetValue(entry) is uint crc ? crc : (uint?)null;

        /// <summary>The CRC-32 (IEEE 802.3, as zip uses) of every byte added so far.</summary>
        public uint Value => ~_crc;

        public void Add(byte[] buffer, int offset, int count)
        {
            var crc = _crc;
            for (var i = offset; i < offset + count; i++)
            {
                crc = Table[(crc ^ buffer[i]) & 0xFF] ^ (crc >> 8);
            }

            _crc = crc;
        }

        private static uint[] BuildTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                var c = n;
                for (var k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
