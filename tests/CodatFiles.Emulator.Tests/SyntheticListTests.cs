using System.Net;
using CodatFiles.Emulator.Tests.Support;

namespace CodatFiles.Emulator.Tests;

/// <summary>PUT /_emulator/synthetic-list: made-up entries after the stored files, and a list answer cut off once.</summary>
public sealed class SyntheticListTests
{
    [Fact]
    public async Task Synthetic_entries_follow_the_stored_files_with_padded_names_and_conform_to_the_spec()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        (await host.UploadAsync(("file", "real.pdf", [1]))).EnsureSuccessStatusCode();

        await host.ControlAsync(HttpMethod.Put, "synthetic-list", new { companyId = TestIds.Company, count = 3, nameLength = 40 });
        var list = await host.ListAsync();

        Assert.Equal(["real.pdf", "synthetic-0000001-", "synthetic-0000002-", "synthetic-0000003-"],
            list.Select(f => f.GetProperty("fileName").GetString()!).Select(n => n.StartsWith("synthetic", StringComparison.Ordinal) ? n[..18] : n));
        Assert.All(list.Skip(1), f => Assert.Equal(40, f.GetProperty("fileName").GetString()!.Length));
        foreach (var file in list) SpecSchemas.AssertConforms(file, SpecSchemas.File_);
    }

    [Fact]
    public async Task Abort_after_cuts_the_next_answer_once_and_reset_removes_the_entries()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.ControlAsync(HttpMethod.Put, "synthetic-list", new { companyId = TestIds.Company, count = 5000, abortAfter = 2000 });

        await Assert.ThrowsAnyAsync<Exception>(() => host.ListAsync());
        Assert.Equal(5000, (await host.ListAsync()).Length);

        await host.ControlAsync(HttpMethod.Post, "reset");
        Assert.Empty(await host.ListAsync());
    }

    [Fact]
    public async Task A_request_without_company_or_count_is_refused()
    {
        await using var host = await EmulatorTestHost.StartAsync();

        await host.ControlAsync(HttpMethod.Put, "synthetic-list", new { count = 3 }, HttpStatusCode.BadRequest);
        await host.ControlAsync(HttpMethod.Put, "synthetic-list", new { companyId = TestIds.Company, count = 3, nameLength = 0 }, HttpStatusCode.BadRequest);
    }
}
