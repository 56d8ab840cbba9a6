namespace CodatFiles.Emulator.Download;

/// <summary>
/// Gives each file of a download its zip entry name <c>&lt;sourceType&gt;/&lt;fileName&gt;</c>, numbering repeats
/// (<c>name (2).ext</c>, <c>name (3).ext</c>, … in upload order) so no entry overwrites another on extraction.
/// The <see cref="ArchiveLayout"/> a test chose may drop the folder and number copies <c>name_1.ext</c>, … instead.
/// </summary>
internal sealed class ZipEntryNamer(ArchiveLayout.Settings layout)
{
    // Case-insensitive because the zip is usually extracted on Windows or macOS, where "A.pdf" and "a.pdf" collide.
    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    public string NameFor(string sourceType, string fileName)
    {
        var folder = MakeSafeSegment(sourceType);
        var name = MakeSafeSegment(fileName);
        var prefix = layout.Folders ? folder + "/" : string.Empty;
        var candidate = prefix + name;
        var stem = Path.GetFileNameWithoutExtension(name);
        var extension = Path.GetExtension(name);
        for (var copy = 2; !_used.Add(candidate); copy++)
        {
            candidate = layout.UnderscoreCopies ? $"{prefix}{stem}_{copy - 1}{extension}" : $"{prefix}{stem} ({copy}){extension}";
        }
        return candidate;
    }

    /// <summary>
    /// The list shows the uploaded name exactly, but inside the zip a name with separators or ".." could write
    /// outside the extraction folder (zip slip); such characters become '_'.
    /// </summary>
    private static string MakeSafeSegment(string value)
    {
        var chars = value.Select(c => c is '/' or '\\' || char.IsControl(c) ? '_' : c).ToArray();
        var safe = new string(chars);
        return safe is "" or "." or ".." ? "_" : safe;
    }
}
