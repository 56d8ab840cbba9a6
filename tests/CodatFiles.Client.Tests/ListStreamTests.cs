using System.Globalization;
using System.Text;
using CodatFiles.Client;

namespace CodatFiles.Client.Tests;

/// <summary>
/// ListFilesStreamAsync over real HTTP from a loopback server: entries come in the body's order, a body that breaks
/// before the first entry is retried like any list, and one that breaks after entries were handed out is not.
/// </summary>
public sealed class ListStreamTests
{
    private static readonly Guid Company = EmulatorHarness.Company;
    private static readonly Dictionary<string, string> Json = new() { ["Content-Type"] = "application/json" };

    private static CodatFilesClient ClientFor(LoopbackHttpServer server, int retries) => new(new CodatClientOptions
    {
        ApiKey = "key",
        ServerUrl = server.BaseUrl,
        Proxy = CodatProxyOptions.None,
        Retry = new CodatRetryOptions { MaxRetryAttempts = retries, InitialInterval = TimeSpan.Zero, UseJitter = false },
    });

    /// <summary>A JSON array of <paramref name="count"/> files named file-00000.pdf, file-00001.pdf, ...</summary>
    private static string ListBody(int count)
    {
        var body = new StringBuilder("[");
        for (var i = 0; i < count; i++)
        {
            if (i > 0) body.Append(',');
            body.Append(CultureInfo.InvariantCulture, $$"""{"fileName":"file-{{i:D5}}.pdf","displayName":"file-{{i:D5}}.pdf","sourceType":"Accounting","uploaded":"2024-03-05T10:00:00Z"}""");
        }
        return body.Append(']').ToString();
    }

    private static async Task<List<CodatFile>> ReadAll(IAsyncEnumerable<CodatFile> files, List<CodatFile>? into = null)
    {
        var read = into ?? new List<CodatFile>();
        await foreach (var file in files) read.Add(file);
        return read;
    }

    [Fact]
    public async Task Entries_come_in_the_order_of_the_body_and_null_entries_are_passed_over()
    {
        const string body = """
            [{"fileName":"c.pdf","uploaded":"2024-03-05T10:00:00Z"}, null, {"fileName":"a.pdf","uploaded":"2024-03-04T10:00:00Z"},
             {"FileName":"b.csv","sourceType":"Banking"}]
            """;
        await using var server = LoopbackHttpServer.Start(_ => new LoopbackResponse(200, "OK", body, Json));
        using var client = ClientFor(server, retries: 0);

        var files = await ReadAll(client.ListFilesStreamAsync(Company));

        Assert.Equal(new[] { "c.pdf", "a.pdf", "b.csv" }, files.Select(f => f.FileName));
        Assert.Equal("Banking", files[2].SourceType);
    }

    [Fact]
    public async Task A_long_list_streams_every_entry_the_buffered_list_returns()
    {
        var body = ListBody(5000);
        await using var server = LoopbackHttpServer.Start(_ => new LoopbackResponse(200, "OK", body, Json));
        using var client = ClientFor(server, retries: 0);

        var streamed = await ReadAll(client.ListFilesStreamAsync(Company));
        var buffered = await client.ListFilesAsync(Company);

        Assert.Equal(buffered.Select(f => f.FileName), streamed.Select(f => f.FileName));
        Assert.Equal(5000, streamed.Count);
    }

    [Fact]
    public async Task An_empty_list_yields_nothing()
    {
        await using var server = LoopbackHttpServer.Start(_ => new LoopbackResponse(200, "OK", "[]", Json));
        using var client = ClientFor(server, retries: 0);

        Assert.Empty(await ReadAll(client.ListFilesStreamAsync(Company)));
    }

    [Fact]
    public async Task A_body_that_breaks_before_the_first_entry_is_retried()
    {
        var requests = 0;
        var full = ListBody(3);
        await using var server = LoopbackHttpServer.Start(_ => Interlocked.Increment(ref requests) == 1
            ? new LoopbackResponse(200, "OK", full[..20], Json, ContentLength: full.Length) // cut inside the first entry
            : new LoopbackResponse(200, "OK", full, Json));
        using var client = ClientFor(server, retries: 2);

        var files = await ReadAll(client.ListFilesStreamAsync(Company));

        Assert.Equal(2, requests);
        Assert.Equal(new[] { "file-00000.pdf", "file-00001.pdf", "file-00002.pdf" }, files.Select(f => f.FileName));
    }

    [Fact]
    public async Task A_body_that_breaks_after_entries_were_handed_out_fails_without_a_retry()
    {
        var requests = 0;
        // Well past the reader's first buffer, so entries are handed out before the cut is reached.
        var full = ListBody(2000);
        var cut = full[..(full.Length / 2)];
        await using var server = LoopbackHttpServer.Start(_ =>
        {
            Interlocked.Increment(ref requests);
            return new LoopbackResponse(200, "OK", cut, Json, ContentLength: full.Length);
        });
        using var client = ClientFor(server, retries: 3);
        var received = new List<CodatFile>();

        var error = await Assert.ThrowsAsync<CodatConnectionException>(() => ReadAll(client.ListFilesStreamAsync(Company), received));

        Assert.Equal(1, requests);
        Assert.NotEmpty(received);
        Assert.True(received.Count < 2000);
        Assert.Equal(received.Select((_, i) => $"file-{i:D5}.pdf"), received.Select(f => f.FileName));
        Assert.Equal(CodatGiveUpKind.RetryUnsafe, error.GiveUp?.Kind);
        Assert.Contains($"after {received.Count} entries", error.Message);
        Assert.Equal(1, error.Attempts);
    }

    [Fact]
    public async Task A_body_that_turns_malformed_after_entries_fails_as_an_unexpected_body()
    {
        var requests = 0;
        var full = ListBody(2000);
        var broken = full[..(full.Length / 2)] + "not json at all";
        await using var server = LoopbackHttpServer.Start(_ =>
        {
            Interlocked.Increment(ref requests);
            return new LoopbackResponse(200, "OK", broken, Json);
        });
        using var client = ClientFor(server, retries: 3);
        var received = new List<CodatFile>();

        var error = await Assert.ThrowsAsync<CodatApiException>(() => ReadAll(client.ListFilesStreamAsync(Company), received));

        Assert.Equal(1, requests);
        Assert.NotEmpty(received);
        Assert.Contains("not what the API defines", error.Message);
    }

    [Fact]
    public async Task A_failing_status_is_retried_before_anything_is_read()
    {
        var requests = 0;
        await using var server = LoopbackHttpServer.Start(_ => Interlocked.Increment(ref requests) == 1
            ? new LoopbackResponse(503, "Service Unavailable", "{}", Json)
            : new LoopbackResponse(200, "OK", ListBody(2), Json));
        using var client = ClientFor(server, retries: 1);

        var files = await ReadAll(client.ListFilesStreamAsync(Company));

        Assert.Equal(2, requests);
        Assert.Equal(2, files.Count);
    }
}
