using System.Collections.Concurrent;
using CodatFiles.Client;

namespace CodatFiles.Client.Tests;

/// <summary>The API key, raw or base64, never appears in anything the client produces.</summary>
public sealed class SecretTests
{
    private static readonly Guid Company = EmulatorHarness.Company;
    private static readonly Guid Connection = EmulatorHarness.Connection;

    [Fact]
    public async Task No_exception_retry_event_or_ToString_contains_the_key()
    {
        await using var emulator = await EmulatorHarness.StartAsync();
        const string wrongKey = "wrong-SECRET-key-9b1e";
        var retry = EmulatorHarness.FastRetry(maxRetries: 1);
        retry.PerAttemptTimeout = TimeSpan.FromMilliseconds(300);
        var client = emulator.CreateClient(retry);
        var wrongClient = emulator.CreateClient(retry, apiKey: wrongKey);
        var events = new ConcurrentQueue<CodatRetryEvent>();
        var call = new CodatCallOptions { OnRetry = events.Enqueue };
        var failures = new List<Exception>();

        async Task Capture(Func<Task> action)
        {
            var exception = await Record.ExceptionAsync(action);
            Assert.NotNull(exception);
            failures.Add(exception);
        }

        await Capture(() => wrongClient.ListFilesAsync(Company, call));                                      // 401
        await Capture(() => client.ListFilesAsync(Guid.NewGuid(), call));                                    // 404
        await Capture(() => client.UploadFilesAsync(Company, Connection, new[] { OperationTests.InMemory("x.txt", 5) }, call)); // 400
        await emulator.AddFaultAsync("list-files", "status", count: 2, status: 503, retryAfter: "0");
        await Capture(() => client.ListFilesAsync(Company, call));                                           // 503 after retry
        await emulator.AddFaultAsync("list-files", "reset-before-body", count: 2);
        await Capture(() => client.ListFilesAsync(Company, call));                                           // connection
        await emulator.AddFaultAsync("list-files", "delay", count: 2, delayMs: 2000);
        await Capture(() => client.ListFilesAsync(Company, call));                                           // timeout
        await Capture(() => client.UploadFilesAsync(Company, Connection, Array.Empty<UploadFile>(), call));  // argument

        Assert.Contains(failures, f => f is CodatApiException);
        Assert.Contains(failures, f => f is CodatConnectionException { TimedOut: false });
        Assert.Contains(failures, f => f is CodatConnectionException { TimedOut: true });
        Assert.Contains(failures, f => f is ArgumentException);
        Assert.NotEmpty(events);

        var texts = failures.Select(f => f.ToString())
            .Concat(failures.Select(f => f.Message))
            .Concat(events.Select(e => e.ToString() + e.Reason))
            .Append(client.ToString()!)
            .Append(client.Options.ToString());
        foreach (var secret in new[] { EmulatorHarness.ApiKey, EmulatorHarness.ApiKeyBase64, wrongKey, Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(wrongKey)) })
        {
            Assert.All(texts, text => Assert.DoesNotContain(secret, text));
        }
    }

    [Fact]
    public void A_server_echoing_the_key_is_redacted_from_the_message()
    {
        var redactor = new Internal.SecretRedactor("my-key");
        var mapper = new Internal.ErrorMapper(redactor, "https://api.codat.io/");
        var failure = new Internal.HttpFailure(400, "Bad Request",
            new CodatError { Error = "Header was Basic bXkta2V5 for my-key" }, null, null, null, DateTimeOffset.UtcNow);

        var exception = mapper.ToApiException(new Internal.CodatOperation("list-files", Guid.Empty), failure, 1, null);

        Assert.DoesNotContain("my-key", exception.Message);
        Assert.DoesNotContain("bXkta2V5", exception.Message);
        Assert.Contains("Header was Basic *** for ***", exception.Message);
    }
}
