using System.Diagnostics;
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

        var watch = Stopwatch.StartNew();
        using var listed = await host.Client.GetAsync(TestIds.ListPath());
        var listTook = watch.Elapsed;
        watch.Restart();
        using var unauthorized = await host.Anonymous.GetAsync(TestIds.ListPath());
        var unauthorizedTook = watch.Elapsed;
        watch.Restart();
        using var health = await host.Anonymous.GetAsync("_emulator/health");
        var controlTook = watch.Elapsed;

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.True(listTook >= TimeSpan.FromMilliseconds(400), $"list answered after {listTook}");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.True(unauthorizedTook >= TimeSpan.FromMilliseconds(400), $"401 answered after {unauthorizedTook}");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(controlTook < TimeSpan.FromMilliseconds(400), $"the control endpoint took {controlTook}: it must not be delayed");
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
        await RateLimitTests.WaitUntilAsync(async () => (await host.RequestLogAsync()).Length == 1);
        using var second = await host.Client.GetAsync(TestIds.DownloadPath());
        using var first = await held;

        await CodatErrorAssert.HasCodatErrorAsync(second, HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
    }

    [Fact]
    public async Task The_latency_adds_to_a_delay_fault()
    {
        await using var host = await EmulatorTestHost.StartAsync(o => o.LatencyMs = 300);
        await host.AddFaultAsync(new { kind = "delay", delayMs = 300 });

        var watch = Stopwatch.StartNew();
        using var response = await host.Client.GetAsync(TestIds.ListPath());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(600), $"answered after {watch.Elapsed}");
    }

    [Fact]
    public async Task The_latency_can_be_changed_while_running_and_a_negative_one_is_refused()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.ControlAsync(HttpMethod.Put, "latency", new { latencyMs = 500 }, HttpStatusCode.OK);
        await host.ControlAsync(HttpMethod.Put, "latency", new { latencyMs = -1 }, HttpStatusCode.BadRequest);

        var watch = Stopwatch.StartNew();
        using var slow = await host.Client.GetAsync(TestIds.ListPath());
        var slowTook = watch.Elapsed;
        await host.ControlAsync(HttpMethod.Put, "latency", new { latencyMs = 0 }, HttpStatusCode.OK);
        watch.Restart();
        using var fast = await host.Client.GetAsync(TestIds.ListPath());
        var fastTook = watch.Elapsed;

        Assert.True(slowTook >= TimeSpan.FromMilliseconds(500), $"answered after {slowTook} with 500 ms set");
        Assert.True(fastTook < TimeSpan.FromMilliseconds(500), $"answered after {fastTook} with the latency back at 0");
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
