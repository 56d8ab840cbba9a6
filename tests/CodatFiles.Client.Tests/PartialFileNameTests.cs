using System.Text;
using CodatFiles.Client.Internal;
using static CodatFiles.Client.Tests.EmulatorHarness;

namespace CodatFiles.Client.Tests;

/// <summary>
/// One temporary-name rule for the client and the module: <c>.&lt;name&gt;.&lt;8 hex&gt;.partial</c>, never over
/// the 255 bytes a file name may have, so a destination name the file system accepts can always be downloaded to.
/// </summary>
public sealed class PartialFileNameTests
{
    private static int Bytes(string value) => Encoding.UTF8.GetByteCount(value);

    [Fact]
    public void A_short_name_is_kept_whole_between_a_dot_and_the_suffix()
    {
        Assert.Equal(".company.zip.0123abcd.partial", PartialFileName.For("company.zip", "0123abcd"));
    }

    [Theory]
    [InlineData(230)]
    [InlineData(240)]
    [InlineData(245)]
    [InlineData(250)]
    [InlineData(255)]
    public void A_long_ascii_name_is_shortened_to_255_bytes(int length)
    {
        var name = PartialFileName.For(new string('a', length - 4) + ".zip", "0123abcd");

        Assert.True(Bytes(name) <= PartialFileName.MaxNameBytes, $"{Bytes(name)} bytes");
        Assert.True(PartialFileName.IsPartialName(name));
        Assert.EndsWith(".0123abcd.partial", name);
    }

    [Fact]
    public void Multi_byte_characters_are_never_cut_in_half()
    {
        // 'é' is 2 bytes and '😀' a surrogate pair of 4 bytes: 250 bytes of them are shortened on a character boundary.
        var finalName = string.Concat(Enumerable.Repeat("é😀", 41)) + ".pdf";
        Assert.Equal(250, Bytes(finalName));

        var name = PartialFileName.For(finalName, "0123abcd");

        Assert.InRange(Bytes(name), PartialFileName.MaxNameBytes - 3, PartialFileName.MaxNameBytes);
        Assert.DoesNotContain('\uFFFD', Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(name)));
        Assert.False(char.IsHighSurrogate(name[name.IndexOf(".0123abcd.partial", StringComparison.Ordinal) - 1]));
    }

    [Theory]
    [InlineData(".a.pdf.0123abcd.partial", true)]
    [InlineData(".6f9619ff-8b86-d011-b42d-00c04fc964ff_2024-03-05.zip.deadbeef.partial", true)]
    [InlineData("a.pdf.0123abcd.partial", false)]
    [InlineData(".a.pdf.0123ABCD.partial", false)]
    [InlineData(".a.pdf.0123abc.partial", false)]
    [InlineData(".a.pdf.partial", false)]
    [InlineData("report.partial", false)]
    public void Only_names_of_the_scheme_are_recognised_as_leftovers(string name, bool recognised)
    {
        Assert.Equal(recognised, PartialFileName.IsPartialName(name));
    }

    [Fact]
    public void Beside_puts_the_temporary_file_in_the_folder_of_the_final_path()
    {
        var folder = Path.Combine(Path.GetTempPath(), "x");
        var partial = PartialFileName.Beside(Path.Combine(folder, "c.zip"));

        Assert.Equal(folder, Path.GetDirectoryName(partial));
        Assert.Matches(@"^\.c\.zip\.[0-9a-f]{8}\.partial$", Path.GetFileName(partial));
    }

    [Theory]
    [InlineData(240)]
    [InlineData(250)]
    [InlineData(255)]
    public async Task Download_to_file_writes_a_destination_name_of_up_to_255_bytes(int length)
    {
        await using var emulator = await StartAsync();
        using var folder = new TempFolder();
        var client = emulator.CreateClient();
        await client.UploadFilesAsync(Company, Connection, new[] { OperationTests.InMemory("a.pdf", 1000) });
        var target = Path.Combine(folder.Path, new string('z', length - 4) + ".zip");

        var result = await client.DownloadFilesToFileAsync(Company, null, target);

        Assert.Equal(result.Bytes, new FileInfo(target).Length);
        Assert.Equal(new[] { target }, folder.Entries());
    }
}
