using CodatFiles.Commands;
using CodatFiles.Input;

namespace CodatFiles.Tests;

/// <summary>Send-CodatFile's -Filter, -Include and -Exclude, and Get-CodatFileList's -Name, -Since and -Until, as pure tests of a name.</summary>
public sealed class FileNameFilterTests
{
    [Theory]
    [InlineData("*.pdf", "a.pdf", true)]
    [InlineData("*.pdf", "D.PDF", true)]
    [InlineData("*.pdf", "a.pdfx", false)]
    [InlineData("inv?.pdf", "inv1.pdf", true)]
    [InlineData("[a].pdf", "[a].pdf", true)] // the provider's filter has no brackets: they are plain characters
    [InlineData("[a].pdf", "a.pdf", false)]
    public void Filter_knows_only_star_and_question_mark_and_ignores_case(string filter, string name, bool taken)
    {
        var leftOut = new FileNameFilter(filter, null, null).LeftOutBy(name);

        Assert.Equal(taken ? null : "-Filter", leftOut);
    }

    [Fact]
    public void Include_takes_any_of_its_patterns_with_powershell_wildcards()
    {
        var filter = new FileNameFilter(null, new[] { "*.pdf", "[lm]*.csv" }, null);

        Assert.Null(filter.LeftOutBy("a.PDF"));
        Assert.Null(filter.LeftOutBy("ledger.csv"));
        Assert.Equal("-Include", filter.LeftOutBy("notes.txt"));
        Assert.Equal("-Include", filter.LeftOutBy("accounts.csv"));
        Assert.True(filter.HasInclude);
    }

    [Fact]
    public void Exclude_leaves_out_any_match_and_all_three_apply_together()
    {
        var filter = new FileNameFilter("*.pdf", new[] { "inv*" }, new[] { "thumbs.db", "*draft*" });

        Assert.Null(filter.LeftOutBy("invoice.pdf"));
        Assert.Equal("-Exclude", filter.LeftOutBy("invoice-draft.pdf"));
        Assert.Equal("-Include", filter.LeftOutBy("receipt.pdf"));
        Assert.Equal("-Filter", filter.LeftOutBy("invoice.csv"));
        Assert.Equal("-Exclude", new FileNameFilter(null, null, new[] { "thumbs.db" }).LeftOutBy("Thumbs.db"));
    }

    [Fact]
    public void No_filter_takes_every_name()
    {
        Assert.Null(FileNameFilter.None.LeftOutBy("Thumbs.db"));
        Assert.False(FileNameFilter.None.HasInclude);
    }

    [Fact]
    public void A_listed_file_matches_on_file_or_display_name_and_inside_the_time_window()
    {
        var march5 = new DateTime(2024, 3, 5, 10, 0, 0, DateTimeKind.Utc);
        var file = new CodatFileInfo("inv-1.pdf", "Invoice 1", "Accounting", march5, Guid.NewGuid());
        var undated = new CodatFileInfo("inv-2.pdf", null, "Accounting", null, Guid.NewGuid());

        Assert.True(new FileListFilter(new[] { "INV-*" }, null, null).Matches(file));
        Assert.True(new FileListFilter(new[] { "invoice*" }, null, null).Matches(file));
        Assert.False(new FileListFilter(new[] { "*.csv" }, null, null).Matches(file));
        Assert.True(new FileListFilter(null, march5, march5).Matches(file));
        Assert.False(new FileListFilter(null, march5.AddSeconds(1), null).Matches(file));
        Assert.False(new FileListFilter(null, null, march5.AddSeconds(-1)).Matches(file));
        Assert.False(new FileListFilter(null, march5, null).Matches(undated));
        Assert.True(new FileListFilter(null, null, null).Matches(undated));
    }
}
