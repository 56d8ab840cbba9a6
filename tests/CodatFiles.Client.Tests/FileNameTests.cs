using CodatFiles.Client;
using CodatFiles.Client.Internal;

namespace CodatFiles.Client.Tests;

/// <summary>
/// Names that could break a multipart header survive exactly. Decision: the quoted <c>filename</c> fallback is
/// lossy (CR/LF removed, non-ASCII as '_', '"' and '\' escaped) because it only serves old parsers; the exact
/// name, CR/LF included, travels percent-encoded in <c>filename*</c>, which Codat-style servers prefer.
/// </summary>
public sealed class FileNameTests
{
    public static TheoryData<string> AwkwardNames => new()
    {
        "quote\"d name.pdf",
        "back\\slash.pdf",
        "Zürich Größe 日本語 😀.pdf",
        "line\r\nbreak.pdf",
        "header\r\nContent-Type: text/html\r\n\r\ninjected.pdf",
        "semi;colon=equals%25 percent.csv",
        "name\"; filename=\"evil.pdf",
    };

    [Theory]
    [MemberData(nameof(AwkwardNames))]
    public async Task Awkward_names_round_trip_exactly_through_upload_and_list(string name)
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        var client = emulator.CreateClient();

        var result = await client.UploadFilesAsync(EmulatorHarness.Company, EmulatorHarness.Connection, new[] { OperationTests.InMemory(name, 64) });

        Assert.Equal(name, Assert.Single(result.FileNames));
        var listed = Assert.Single(await client.ListFilesAsync(EmulatorHarness.Company));
        Assert.Equal(name, listed.FileName);
    }

    [Fact]
    public void Ascii_fallback_strips_line_breaks_replaces_non_ascii_and_escapes_quotes()
    {
        Assert.Equal("a\\\"b\\\\c_d_.pdf", FileNameEncoding.AsciiFallback("a\"b\\c\r\nçd😀.pdf"));
    }

    [Fact]
    public void Extended_parameter_percent_encodes_utf8_and_keeps_attr_chars()
    {
        Assert.Equal("a%22b%0D%0A%C3%A7%20x-y_z.pdf", FileNameEncoding.Rfc5987Encode("a\"b\r\nç x-y_z.pdf"));
        var parameters = FileNameEncoding.DispositionParameters("x\r\ny\".pdf");
        Assert.DoesNotContain("\r", parameters);
        Assert.DoesNotContain("\n", parameters);
        Assert.Equal("filename=\"xy\\\".pdf\"; filename*=UTF-8''x%0D%0Ay%22.pdf", parameters);
    }

    [Theory]
    [InlineData("a.pdf", "application/pdf")]
    [InlineData("A.PDF", "application/pdf")]
    [InlineData("b.csv", "text/csv")]
    [InlineData("c.png", "image/png")]
    [InlineData("d.jpg", "image/jpeg")]
    [InlineData("d.jpeg", "image/jpeg")]
    [InlineData("e.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    [InlineData("f.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData("g.ppt", "application/vnd.ms-powerpoint")]
    [InlineData("h.txt", "application/octet-stream")]
    [InlineData("no-extension", "application/octet-stream")]
    [InlineData("dir.pdf\\file", "application/octet-stream")]
    [InlineData("q\"|<>.xls", "application/vnd.ms-excel")]
    public void Part_content_type_is_guessed_from_the_extension(string name, string expected)
    {
        Assert.Equal(expected, CodatFileTypes.ContentTypeOf(name));
    }
}
