namespace CodatFiles.Emulator.Download;

/// <summary>
/// How download zips name their entries. Codat's naming is inferred, not documented, so a test can switch the
/// emulator to another plausible one (POST /_emulator/archive-layout) and check that clients do not depend on
/// the guess: <see cref="Folders"/> false puts every entry at the top of the zip instead of in
/// <c>&lt;sourceType&gt;/</c>, and <see cref="UnderscoreCopies"/> numbers a repeated name <c>stem_1.ext</c>,
/// <c>stem_2.ext</c>, … instead of <c>stem (2).ext</c>, <c>stem (3).ext</c>, …. Reset restores the default.
/// </summary>
internal sealed class ArchiveLayout
{
    private volatile Settings _current = Settings.Default;

    public Settings Current => _current;

    public void Set(bool folders, bool underscoreCopies) => _current = new Settings(folders, underscoreCopies);

    public void Reset() => _current = Settings.Default;

    internal sealed record Settings(bool Folders, bool UnderscoreCopies)
    {
        public static readonly Settings Default = new(Folders: true, UnderscoreCopies: false);
    }
}
