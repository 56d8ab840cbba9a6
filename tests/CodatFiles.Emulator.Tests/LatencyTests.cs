using System.IO.Compression;
using System.Net;
using CodatFiles.Emulator.Tests.Support;

namespace CodatFiles.Emulator.Tests;

/// <summary>--latency-ms: every API request waits, holding its company's concurrency slot.</summary>
public sealed class LatencyTests
{
    [Fact]
    public async Task Every_api_request_is_answered_no_sooner_than_the_latency()
    {
        await using var host = await EmulatorTestHost.StartAsync(o => o.LatencyMs = 400);

        using var listed = await host.AnsweredAfterAsync(host.Client.GetAsync(TestIds.ListPath()), 400);
        using var unauthorized = await host.AnsweredAfterAsync(host.Anonymous.GetAsync(TestIds.ListPath()), 400);
        using var health = await host.AnsweredAtOnceAsync(host.Anonymous.GetAsync("_emulator/health")); // not delayed

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_request_waiting_out_the_latency_holds_its_company_slot()
    {
        await using var host = await EmulatorTestHost.StartAsync(o =>
        {
            o.LatencyMs = 1500;
            o.MaxConcurrentRequestsPerCompany = 1;
        });

        var held = host.Client.GetAsync(TestIds.ListPath());
        await host.Clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(1500)); // waiting out the latency, slot taken
        // The second finds the slot taken on arrival; its 429 waits the latency too, as every answer without a slot does.
        var second = host.Client.GetAsync(TestIds.DownloadPath());
        await host.Clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(1500));
        await host.AssertHeldAsync(held, logIndex: 0);
        host.Clock.Advance(TimeSpan.FromMilliseconds(1500));
        using var refused = await second.WaitAsync(EmulatorTestClock.RealPatience);
        using var first = await held.WaitAsync(EmulatorTestClock.RealPatience);

        await CodatErrorAssert.HasCodatErrorAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
    }

    [Fact]
    public async Task The_latency_adds_to_a_delay_fault()
    {
        await using var host = await EmulatorTestHost.StartAsync(o => o.LatencyMs = 300);
        await host.AddFaultAsync(new { kind = "delay", delayMs = 300 });

        // The latency first, then the delay after it, not overlapping: held until 600 ms have passed.
        using var response = await host.AnsweredAfterAsync(host.Client.GetAsync(TestIds.ListPath()), 300, 300);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_latency_can_be_changed_while_running_and_a_negative_one_is_refused()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.ControlAsync(HttpMethod.Put, "latency", new { latencyMs = 500 }, HttpStatusCode.OK);
        await host.ControlAsync(HttpMethod.Put, "latency", new { latencyMs = -1 }, HttpStatusCode.BadRequest);

        using var slow = await host.AnsweredAfterAsync(host.Client.GetAsync(TestIds.ListPath()), 500); // 500 ms set, not -1
        await host.ControlAsync(HttpMethod.Put, "latency", new { latencyMs = 0 }, HttpStatusCode.OK);
        using var fast = await host.AnsweredAtOnceAsync(host.Client.GetAsync(TestIds.ListPath()));

        Assert.Equal(HttpStatusCode.OK, slow.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fast.StatusCode);
    }

    [Fact]
    public async Task Already_compressed_types_are_stored_in_the_download_zip_and_others_deflated()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        var compressible = new byte[64 * 1024]; // zeros: deflate shrinks them to almost nothing
        (await host.UploadAsync(("file", "scan.pdf", compressible), ("file", "photo.PNG", compressible),
            ("file", "book.xlsx", compressible), ("file", "rows.csv", compressible))).EnsureSuccessStatusCode();

        using var response = await host.Client.GetAsync(TestIds.DownloadPath());
        using var archive = new ZipArchive(await response.Content.ReadAsStreamAsync(), ZipArchiveMode.Read);
        var compressedLength = archive.Entries.ToDictionary(e => e.Name, e => e.CompressedLength);

        Assert.Equal(compressible.Length, compressedLength["scan.pdf"]);
        Assert.Equal(compressible.Length, compressedLength["photo.PNG"]);
        Assert.Equal(compressible.Length, compressedLength["book.xlsx"]);
        Assert.True(compressedLength["rows.csv"] < compressible.Length / 10, $"rows.csv took {compressedLength["rows.csv"]} bytes");
        Assert.All(archive.Entries, e => Assert.Equal(compressible.Length, e.Length));
    }
}
