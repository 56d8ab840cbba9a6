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
        var clock = new TestClock(); // the emulator's, and the timing-out client's below: the 6 s delays never run out
        await using var emulator = await EmulatorHarness.StartAsync(o => o.TimeProvider = clock);
        const string wrongKey = "wrong-SECRET-key-9b1e";
        var retry = EmulatorHarness.FastRetry(maxRetries: 1);
        retry.PerAttemptTimeout = TimeSpan.FromMilliseconds(1500); // on the fake clock: only the timeout step moves it
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
        await emulator.AddFaultAsync("list-files", "delay", count: 2, delayMs: 6000);
        var requestsBefore = (await emulator.GetRequestsAsync()).Count;
        var timingOut = emulator.CreateClient(retry, time: clock).ListFilesAsync(Company, call);
        await emulator.TimeOutAttemptsAsync(clock, requestsBefore, retry.PerAttemptTimeout, retry.InitialInterval, attempts: 2);
        await Capture(() => TestClock.Bounded(timingOut));                                                   // timeout
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
    public async Task A_server_echoing_the_authorization_header_leaks_the_key_nowhere()
    {
        const string key = "echo-SECRET-key-4711";
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key));
        await using var server = LoopbackHttpServer.Start(EchoingServer);
        var retry = EmulatorHarness.FastRetry(maxRetries: 1);
        using var client = new CodatFilesClient(new CodatClientOptions { ServerUrl = server.BaseUrl, ApiKey = key, Retry = retry });
        var events = new ConcurrentQueue<CodatRetryEvent>();
        var call = new CodatCallOptions { OnRetry = events.Enqueue };

        var unavailable = await Assert.ThrowsAsync<CodatApiException>(() => client.ListFilesAsync(Company, call));     // 503, retried
        var badRequest = await Assert.ThrowsAsync<CodatApiException>(() =>
            client.UploadFilesAsync(Company, Connection, new[] { OperationTests.InMemory("a.pdf", 10) }, call));         // 400
        using var zip = new MemoryStream();
        var badGateway = await Assert.ThrowsAsync<CodatApiException>(() => client.DownloadFilesAsync(Company, null, zip, call)); // 502 page, retried

        Assert.Equal((503, 2), (unavailable.StatusCode, unavailable.Attempts));
        Assert.Equal((400, 1), (badRequest.StatusCode, badRequest.Attempts));
        Assert.Equal((502, 2), (badGateway.StatusCode, badGateway.Attempts));
        Assert.Equal(2, events.Count);
        Assert.Contains("***", unavailable.Error!.Error); // the echo happened and was masked, so the checks below mean something
        Assert.Contains("***", badGateway.Message);

        var texts = new List<string?>();
        foreach (var e in events) texts.AddRange(new[] { e.Reason, e.ToString() });
        foreach (var exception in new[] { unavailable, badRequest, badGateway })
        {
            texts.AddRange(new[] { exception.Message, exception.ToString(), exception.CorrelationId, exception.RateLimit?.Reset, exception.RateLimit?.ToString() });
            var error = exception.Error;
            if (error is null) continue;
            texts.AddRange(new[] { error.Error, error.Service, error.CorrelationId, error.CanBeRetried });
            foreach (var item in (error.Validation?.Errors ?? []).Concat(error.Validation?.Warnings ?? []))
            {
                texts.AddRange(new[] { item.Message, item.ItemId, item.ValidatorName });
            }
        }

        Assert.Contains(texts, t => t?.Contains("***") == true);
        foreach (var secret in new[] { key, encoded })
        {
            Assert.All(texts, text => Assert.DoesNotContain(secret, text ?? string.Empty));
        }
    }

    [Fact]
    public void A_key_of_eight_or_more_characters_is_masked_raw_as_base64_and_as_the_header_value()
    {
        var redactor = new Internal.SecretRedactor("my-secret-key");

        Assert.Equal("Header was *** for *** (***)", redactor.Redact("Header was basic  bXktc2VjcmV0LWtleQ== for my-secret-key (bXktc2VjcmV0LWtleQ==)"));
    }

    [Fact]
    public void A_short_key_is_left_in_free_text_but_masked_in_the_header_value_and_where_it_stands_alone_in_a_header()
    {
        var redactor = new Internal.SecretRedactor("ab");

        // Masking "ab" in free text would mangle ordinary words; the header value is long enough to be unique.
        Assert.Equal("about *** and ab", redactor.Redact("about Basic YWI= and ab"));
        Assert.Equal("***", redactor.RedactHeaderValue("ab"));
        Assert.Equal("Service *** ***", redactor.RedactHeaderValue("Service ab YWI="));
        Assert.Equal("about cab", redactor.RedactHeaderValue("about cab"));
    }

    /// <summary>Every text field of each error echoes the Authorization header and the key decoded from it.</summary>
    private static LoopbackResponse EchoingServer(LoopbackRequest request)
    {
        var header = request.Header("Authorization") ?? string.Empty;
        var key = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        var echo = $"Authorization: {header}; key {key}";
        var headers = new Dictionary<string, string> { ["Retry-After"] = "0", ["X-Rate-Limit-Reset"] = key };
        if (request.Path.EndsWith("/files/download", StringComparison.Ordinal))
        {
            return new LoopbackResponse(502, "Bad Gateway " + key, $"<html><body>Upstream refused {echo}</body></html>", headers);
        }

        var status = request.Method == "POST" ? 400 : 503;
        var item = $$"""{"itemId":"{{key}}","message":"{{echo}}","validatorName":"{{header}}"}""";
        var body = $$$"""
            {"statusCode":{{{status}}},"service":"{{{echo}}}","error":"Rejected {{{echo}}}","correlationId":"{{{header}}}",
             "canBeRetried":"{{{key}}}","validation":{"errors":[{{{item}}}],"warnings":[{{{item}}}]}}
            """;
        return new LoopbackResponse(status, "Rejected " + key, body, headers);
    }
}
