using CodatFiles.FileSystem;

namespace CodatFiles.Tests;

/// <summary>What a crashed run left is found by the module's own naming scheme, age, and not being in use.</summary>
public sealed class LeftoversTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("codat-leftovers-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Make(string relative)
    {
        var path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "x");
        return path;
    }

    // Creation times cannot be set back on Linux, so "now" is moved forward instead.
    private static DateTime Later => DateTime.UtcNow + Leftovers.MinimumAge + TimeSpan.FromSeconds(1);

    [Fact]
    public void The_destination_and_its_source_type_folders_are_searched_for_the_scheme_only()
    {
        var top = Make(".a.pdf.0123abcd.partial");
        var inFolder = Make(Path.Combine("Accounting", ".r.pdf.deadbeef.partial"));
        Make(Path.Combine("Accounting", "deeper", ".x.pdf.deadbeef.partial"));
        Make("notes.partial");
        Make(".a.pdf.partial");

        Assert.Equal(new[] { top, inFolder }.OrderBy(p => p), Leftovers.InDestination(_folder, Later).OrderBy(p => p));
    }

    [Fact]
    public void Fresh_files_are_not_leftovers()
    {
        Make(".a.pdf.0123abcd.partial");

        Assert.Empty(Leftovers.InDestination(_folder, DateTime.UtcNow));
    }

    [Fact]
    public void In_the_staging_folder_only_the_module_s_archives_are_leftovers()
    {
        var whole = Make(".6f9619ff-8b86-d011-b42d-00c04fc964ff.zip.0123abcd.partial");
        var day = Make(".6f9619ff-8b86-d011-b42d-00c04fc964ff_2024-03-05.zip.0123abcd.partial");
        Make(".someone-elses.zip.0123abcd.partial");
        Make(".a.pdf.0123abcd.partial");

        Assert.Equal(new[] { whole, day }.OrderBy(p => p), Leftovers.InStaging(_folder, Later).OrderBy(p => p));
    }

    [Fact]
    public void A_file_held_open_by_a_run_is_not_removed_and_a_free_one_is()
    {
        var held = Make(".a.pdf.0123abcd.partial");
        var free = Make(".b.pdf.0123abcd.partial");

        using (new FileStream(held, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            Assert.False(Leftovers.TryRemove(held));
        }
        Assert.True(File.Exists(held));
        Assert.True(Leftovers.TryRemove(free));
        Assert.False(File.Exists(free));
    }
}
