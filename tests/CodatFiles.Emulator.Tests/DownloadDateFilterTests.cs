using System.Net;
using CodatFiles.Emulator.Tests.Support;

namespace CodatFiles.Emulator.Tests;

public sealed class DownloadDateFilterTests
{
    /// <summary>Uploads a.pdf on 2024-03-05 10:00Z and b.pdf on 2024-03-06 23:30Z using the clock endpoint.</summary>
    private static async Task<EmulatorTestHost> StartWithTwoDaysAsync()
    {
        var host = await EmulatorTestHost.StartAsync();
        await host.SetClockAsync("2024-03-05T10:00:00Z");
        (await host.UploadAsync(("file", "a.pdf", [1]))).EnsureSuccessStatusCode();
        await host.SetClockAsync("2024-03-06T23:30:00Z");
        (await host.UploadAsync(("file", "b.pdf", [2]))).EnsureSuccessStatusCode();
        await host.ControlAsync(HttpMethod.Delete, "clock");
        return host;
    }

    [Fact]
    public async Task Clock_override_stamps_uploads()
    {
        await using var host = await StartWithTwoDaysAsync();

        var uploaded = (await host.ListAsync()).Select(i => i.GetProperty("uploaded").GetString()!).ToArray();

        Assert.Equal(["2024-03-05T10:00:00Z", "2024-03-06T23:30:00Z"], uploaded); // the emulator's clock did not move meanwhile
    }

    [Theory]
    [InlineData("2024-03-05", "a.pdf")]
    [InlineData("2024-03-06", "b.pdf")]
    [InlineData("2024-03-06T00:00:00Z", "b.pdf")]           // a timestamp selects its UTC day…
    [InlineData("2024-03-06T01:00:00+02:00", "a.pdf")]      // …which here is 2024-03-05
    [InlineData("2024-03-06T12:00:00", "b.pdf")]            // no offset: taken as UTC
    public async Task Date_selects_the_files_uploaded_on_that_utc_day(string date, string expected)
    {
        await using var host = await StartWithTwoDaysAsync();

        var zip = await host.DownloadAsync(date: date);

        Assert.Equal(["Accounting/" + expected], zip.Keys);
    }

    [Fact]
    public async Task Without_date_all_files_are_downloaded_and_a_day_without_uploads_is_empty()
    {
        await using var host = await StartWithTwoDaysAsync();

        Assert.Equal(2, (await host.DownloadAsync()).Count);
        Assert.Empty(await host.DownloadAsync(date: "2024-03-07"));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2024-13-01")]
    [InlineData("")]
    public async Task Unparsable_date_gets_400(string date)
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var response = await host.Client.GetAsync(TestIds.DownloadPath(date: date));

        var body = await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("date", body.GetProperty("error").GetString());
    }
}
