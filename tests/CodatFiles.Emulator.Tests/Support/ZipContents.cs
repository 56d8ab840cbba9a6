using System.IO.Compression;

namespace CodatFiles.Emulator.Tests.Support;

internal static class ZipContents
{
    /// <summary>Entry name → bytes, in archive order (Dictionary keeps insertion order while nothing is removed).</summary>
    public static Dictionary<string, byte[]> Read(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var entries = new Dictionary<string, byte[]>();
        foreach (var entry in archive.Entries)
        {
            using var content = entry.Open();
            using var copy = new MemoryStream();
            content.CopyTo(copy);
            entries.Add(entry.FullName, copy.ToArray());
        }
        return entries;
    }
}
