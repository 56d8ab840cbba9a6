using CodatFiles.Client;
using CodatFiles.Download;
using CodatFiles.FileSystem;

namespace CodatFiles.Tests;

/// <summary>
/// Every platform's name rules, tested here on Linux by giving the rule set explicitly: each stored name gets a local
/// name the system can hold, and two stored names never get one local file.
/// </summary>
public sealed class LocalNameRulesTests
{
    [Theory]
    [InlineData("a:b.pdf", "a_b.pdf")]
    [InlineData("<>:\"|?*.csv", "_______.csv")]
    [InlineData("tab\there.pdf", "tab_here.pdf")]
    [InlineData("CON.pdf", "CON_.pdf")]
    [InlineData("nul.txt", "nul_.txt")]
    [InlineData("nul", "nul_")]
    [InlineData("Com1.tar.gz", "Com1_.tar.gz")]
    [InlineData("lpt9.pdf", "lpt9_.pdf")]
    [InlineData("COM\u00b9.pdf", "COM\u00b9_.pdf")]
    [InlineData("CONOUT$.txt", "CONOUT$_.txt")]
    [InlineData("NUL .txt", "NUL _.txt")]
    [InlineData("report.", "report_")]
    [InlineData("report ", "report_")]
    [InlineData("a. .", "a___")]
    [InlineData("COM10.pdf", "COM10.pdf")]
    [InlineData("CONSOLE.pdf", "CONSOLE.pdf")]
    [InlineData("nullable.pdf", "nullable.pdf")]
    [InlineData(" lead.pdf", " lead.pdf")]
    [InlineData("café.pdf", "café.pdf")]
    public void Windows_rules_replace_what_Windows_cannot_hold(string stored, string local)
    {
        Assert.Equal(local, LocalNameRules.Windows.LocalSegment(stored));
    }

    [Theory]
    [InlineData("a:b.pdf")]
    [InlineData("CON.pdf")]
    [InlineData("nul.txt")]
    [InlineData("report.")]
    [InlineData("a?b*.pdf")]
    public void Linux_and_macOS_keep_names_Windows_cannot_hold(string stored)
    {
        Assert.Equal(stored, LocalNameRules.Linux.LocalSegment(stored));
        Assert.Equal(stored, LocalNameRules.MacOS.LocalSegment(stored));
    }

    private static List<string> Names(LocalNameRules rules, params string[] wholeArchiveNames)
    {
        var namer = new LocalNamer(rules);
        return wholeArchiveNames.Select(namer.PathFor).ToList();
    }

    private const string CafeNfc = "caf\u00e9.pdf";
    private const string CafeNfd = "cafe\u0301.pdf";

    [Fact]
    public void On_macOS_the_two_spellings_of_one_name_get_two_files()
    {
        var names = Names(LocalNameRules.MacOS, "Accounting/" + CafeNfc, "Accounting/" + CafeNfd);

        Assert.Equal(new[] { "Accounting/" + CafeNfc, "Accounting/cafe\u0301 (2).pdf" }, names);
    }

    [Fact]
    public void On_Linux_the_two_spellings_are_two_names_and_kept()
    {
        Assert.Equal(new[] { "A/" + CafeNfc, "A/" + CafeNfd }, Names(LocalNameRules.Linux, "A/" + CafeNfc, "A/" + CafeNfd));
    }

    [Fact]
    public void On_Windows_the_two_spellings_are_two_files()
    {
        // NTFS compares names without normalizing them.
        Assert.Equal(new[] { "A/" + CafeNfc, "A/" + CafeNfd }, Names(LocalNameRules.Windows, "A/" + CafeNfc, "A/" + CafeNfd));
    }

    [Theory]
    [MemberData(nameof(CaseInsensitiveRules))]
    public void Where_case_is_ignored_names_differing_in_case_are_numbered(string platform)
    {
        var rules = platform == "Windows" ? LocalNameRules.Windows : LocalNameRules.MacOS;
        var names = Names(rules, "Accounting/Report.pdf", "Accounting/report.pdf", "accounting/REPORT.pdf");

        Assert.Equal(new[] { "Accounting/Report.pdf", "Accounting/report (2).pdf", "accounting/REPORT (3).pdf" }, names);
    }

    public static TheoryData<string> CaseInsensitiveRules => new() { "Windows", "macOS" };

    [Fact]
    public void On_Linux_names_differing_in_case_are_two_files()
    {
        Assert.Equal(new[] { "A/Report.pdf", "A/report.pdf" }, Names(LocalNameRules.Linux, "A/Report.pdf", "A/report.pdf"));
    }

    [Fact]
    public void A_replaced_name_that_meets_a_stored_one_is_numbered_never_overwritten()
    {
        var names = Names(LocalNameRules.Windows, "A/a:b.pdf", "A/a_b.pdf", "A/a?b.pdf", "A/CON.pdf", "A/con_.pdf");

        Assert.Equal(new[] { "A/a_b.pdf", "A/a_b (2).pdf", "A/a_b (3).pdf", "A/CON_.pdf", "A/con_ (2).pdf" }, names);
    }

    [Fact]
    public void Folders_follow_the_rules_too()
    {
        Assert.Equal(new[] { "Bank_Feeds_/x.csv", "aux_/y.csv" }, Names(LocalNameRules.Windows, "Bank:Feeds./x.csv", "aux/y.csv"));
    }

    public static TheoryData<string> Platforms => new() { "Windows", "macOS", "Linux" };

    private static LocalNameRules RulesOf(string platform) =>
        platform == "Windows" ? LocalNameRules.Windows : platform == "macOS" ? LocalNameRules.MacOS : LocalNameRules.Linux;

    [Theory]
    [MemberData(nameof(Platforms))]
    public void A_company_list_gives_the_same_local_names_every_time_and_never_two_files_one_name(string platform)
    {
        var rules = RulesOf(platform);
        var stored = new[] { "CON.pdf", "con.pdf", "a:b.pdf", "a_b.pdf", CafeNfc, CafeNfd, "Report.pdf", "report.pdf", "x.", "x", "x_", "..", "a/b.pdf", "a\\b.pdf" };
        var files = stored.Select((name, i) => new CodatFile { FileName = name, SourceType = "Accounting", Uploaded = $"2024-03-05T10:00:{i:00}Z" }).ToList();
        var company = Guid.NewGuid();

        var first = new CompanyFileCatalog(company, files, rules).Files.Select(file => file.LocalPath).ToList();
        var second = new CompanyFileCatalog(company, files, rules).Files.Select(file => file.LocalPath).ToList();

        Assert.Equal(first, second);
        Assert.Equal(first.Count, first.Select(rules.CollisionKey).Distinct().Count());
        Assert.All(first, path => Assert.StartsWith("Accounting/", path));
        Assert.All(first, path => Assert.DoesNotContain("/", path.Substring("Accounting/".Length)));
        if (platform == "Windows")
        {
            // Every local name is one Windows holds as it is: the rules leave it unchanged.
            Assert.All(first, path => Assert.Equal(path.Substring("Accounting/".Length), rules.LocalSegment(path.Substring("Accounting/".Length))));
            Assert.All(first, path => Assert.True(path.IndexOfAny("<>:\"\\|?*".ToCharArray()) < 0, path));
        }
    }

    [Fact]
    public void A_file_saved_under_another_name_says_so()
    {
        var files = new[] { new CodatFile { FileName = "CON.pdf", SourceType = "Accounting" }, new CodatFile { FileName = "ok.pdf", SourceType = "Accounting" } };

        var catalog = new CompanyFileCatalog(Guid.NewGuid(), files, LocalNameRules.Windows);

        Assert.True(catalog.Files[0].IsRenamedLocally);
        Assert.Equal("Accounting/CON_.pdf", catalog.Files[0].LocalPath);
        Assert.False(catalog.Files[1].IsRenamedLocally);
    }
}
