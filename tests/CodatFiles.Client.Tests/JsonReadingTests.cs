using CodatFiles.Client;

namespace CodatFiles.Client.Tests;

/// <summary>
/// The client's JSON reading (build-time generated metadata) over real HTTP from a loopback server that answers
/// with bodies the emulator never sends: names in other casings, unknown members, nulls, the full error body.
/// </summary>
public sealed class JsonReadingTests
{
    private static readonly Guid Company = EmulatorHarness.Company;
    private static readonly Dictionary<string, string> Json = new() { ["Content-Type"] = "application/json" };

    private static CodatFilesClient ClientFor(LoopbackHttpServer server) => new(new CodatClientOptions
    {
        ApiKey = "key",
        ServerUrl = server.BaseUrl,
        Proxy = CodatProxyOptions.None,
        Retry = new CodatRetryOptions { MaxRetryAttempts = 0 },
    });

    [Fact]
    public async Task A_file_list_binds_whatever_the_casing_of_its_names_and_ignores_members_it_does_not_know()
    {
        const string body = """
            [
              {"FileName": "a.pdf", "DISPLAYNAME": "A", "sourcetype": "Accounting", "Uploaded": "2024-03-05T10:00:00Z", "size": 12},
              {"fileName": "b.csv", "displayName": null, "uploaded": "2024-03-06T09:30:00.123Z"},
              null
            ]
            """;
        await using var server = LoopbackHttpServer.Start(_ => new LoopbackResponse(200, "OK", body, Json));
        using var client = ClientFor(server);

        var files = await client.ListFilesAsync(Company);

        Assert.Equal(2, files.Count);
        Assert.Equal(("a.pdf", "A", "Accounting"), (files[0].FileName, files[0].DisplayName, files[0].SourceType));
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 10, 0, 0, TimeSpan.Zero), files[0].UploadedAt);
        Assert.Equal("b.csv", files[1].FileName);
        Assert.Null(files[1].DisplayName);
        Assert.Equal(new DateTimeOffset(2024, 3, 6, 9, 30, 0, 123, TimeSpan.Zero), files[1].UploadedAt);
    }

    [Fact]
    public async Task An_error_body_is_read_member_by_member_in_any_casing()
    {
        const string body = """
            {"StatusCode": 400, "service": "Files", "ERROR": "The request was invalid.", "correlationId": "c-123",
             "validation": {"errors": [{"itemId": "f1", "Message": "Bad file", "validatorName": "FileValidator"}], "warnings": []},
             "canBeRetried": "Unknown", "detailedErrorCode": 0}
            """;
        await using var server = LoopbackHttpServer.Start(_ => new LoopbackResponse(400, "Bad Request", body, Json));
        using var client = ClientFor(server);

        var error = (await Assert.ThrowsAsync<CodatApiException>(() => client.ListFilesAsync(Company))).Error;

        Assert.NotNull(error);
        Assert.Equal((400, "Files", "The request was invalid.", "c-123"), (error!.StatusCode, error.Service, error.Error, error.CorrelationId));
        Assert.Equal(("Unknown", 0), (error.CanBeRetried, error.DetailedErrorCode));
        var item = Assert.Single(error.Validation!.Errors!);
        Assert.Equal(("f1", "Bad file", "FileValidator"), (item.ItemId, item.Message, item.ValidatorName));
        Assert.Empty(error.Validation.Warnings!);
    }

    [Fact]
    public async Task A_list_that_is_not_json_is_an_unexpected_body_not_a_crash()
    {
        await using var server = LoopbackHttpServer.Start(_ => new LoopbackResponse(200, "OK", "[{\"fileName\": ", Json));
        using var client = ClientFor(server);

        var failure = await Assert.ThrowsAnyAsync<CodatException>(() => client.ListFilesAsync(Company));

        Assert.Contains("200", failure.Message);
    }

    [Theory]
    [InlineData(503, "Service Unavailable")]
    [InlineData(429, "Too Many Requests")]
    [InlineData(502, "Bad Gateway")]
    public async Task A_status_sent_without_a_reason_phrase_is_named_by_its_standard_one(int status, string phrase)
    {
        await using var server = LoopbackHttpServer.Start(_ => new LoopbackResponse(status, ""));
        using var client = ClientFor(server);

        var error = await Assert.ThrowsAsync<CodatApiException>(() => client.ListFilesAsync(Company));

        Assert.StartsWith($"HTTP {status} {phrase}", error.Reason);
    }
}
