using System.IO.Compression;

namespace CodatFiles.Emulator.Download;

/// <summary>
/// How a file goes into the download zip. Types that are compressed already are stored as they are: deflating
/// them again costs the emulator most of a download's time and saves next to nothing. The rest is deflated at the
/// fastest level.
/// </summary>
internal static class EntryCompression
{
    // JPEG and PNG are compressed images; the Office Open XML formats (and XLSB) are zip archives themselves; a
    // PDF's content streams are, in practice, almost always Flate-compressed.
    private static readonly HashSet<string> s_alreadyCompressed = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpeg", ".jpg", ".png", ".pdf", ".xlsx", ".xlsb", ".docx", ".pptx",
    };

    public static CompressionLevel For(string fileName) =>
        s_alreadyCompressed.Contains(Path.GetExtension(fileName)) ? CompressionLevel.NoCompression : CompressionLevel.Fastest;
}
