using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CodatFiles.Emulator.Tests.Support;

/// <summary>
/// An emulator on loopback plus plain HttpClients to reach it: one authorised for the API, one without credentials, and
/// one with the control token for <c>/_emulator/*</c>. The emulator runs on a fake clock of its own (<see cref="Clock"/>),
/// which only the test moves: a request the emulator holds (latency, a delay fault) stays held until then.
/// </summary>
internal sealed class EmulatorTestHost : IAsyncDisposable
{
    private static readonly TimeSpan s_oneMillisecond = TimeSpan.FromMilliseconds(1);

    private EmulatorTestHost(EmulatorServer server, EmulatorTestClock clock)
    {
        Server = server;
        Clock = clock;
        Anonymous = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        Client = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Authorization = BasicAuth(server.Options.ApiKey);
        Control = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        Control.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Options.ControlToken);
    }

    public EmulatorServer Server { get; }

    /// <summary>The emulator's clock; it starts at the real time and moves only when the test moves it.</summary>
    public EmulatorTestClock Clock { get; }

    /// <summary>Sends the right Authorization header.</summary>
    public HttpClient Client { get; }

    /// <summary>Sends no Authorization header.</summary>
    public HttpClient Anonymous { get; }

    /// <summary>Sends the control token (its random default), for the control endpoints.</summary>
    public HttpClient Control { get; }

    public static async Task<EmulatorTestHost> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var clock = new EmulatorTestClock();
        var options = new EmulatorOptions { ApiKey = "test-key-" + Guid.NewGuid().ToString("N"), TimeProvider = clock };
        configure?.Invoke(options);
        return new EmulatorTestHost(await EmulatorServer.StartAsync(options), clock);
    }

    /// <summary>
    /// Checks that the emulator holds a request for its waits of <paramref name="waitsMs"/> in turn (the latency, then a
    /// delay fault, say) and no longer: each must start as a timer of that length, the request must still be held
    /// 1 ms before the last one ends, and <paramref name="answer"/> must come once it has. Returns the answer.
    /// </summary>
    public async Task<HttpResponseMessage> AnsweredAfterAsync(Task<HttpResponseMessage> answer, params int[] waitsMs)
    {
        foreach (var ms in waitsMs[..^1])
        {
            await Clock.PassAsync(TimeSpan.FromMilliseconds(ms));
        }
        var last = TimeSpan.FromMilliseconds(waitsMs[^1]);
        await Clock.WaitForTimerAsync(last);
        Clock.Advance(last - s_oneMillisecond);
        await AssertHeldAsync(answer);
        Clock.Advance(s_oneMillisecond);
        return await answer.WaitAsync(EmulatorTestClock.RealPatience);
    }

    /// <summary>
    /// Checks that the emulator still holds a request: its caller has no answer and its entry in the request log
    /// (the newest unless <paramref name="logIndex"/> says which) has no status yet.
    /// </summary>
    public async Task AssertHeldAsync(Task answer, int? logIndex = null)
    {
        var log = await RequestLogAsync();
        var status = log[logIndex ?? log.Length - 1].GetProperty("status").GetInt32();
        Assert.True(status == 0, $"the emulator answered {status} while it should still hold the request");
        Assert.False(answer.IsCompleted, "the caller has an answer while the emulator should still hold the request");
    }

    /// <summary>Waits for an answer the emulator should give without any wait on its clock, then checks it started none.</summary>
    public async Task<HttpResponseMessage> AnsweredAtOnceAsync(Task<HttpResponseMessage> answer)
    {
        var response = await answer.WaitAsync(EmulatorTestClock.RealPatience);
        Clock.AssertNoTimerStarted();
        return response;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <see cref="EmulatorTestClock.RealPatience"/> instead of hanging.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var patience = new CancellationTokenSource(EmulatorTestClock.RealPatience);
        while (!await condition())
        {
            try
            {
                await Task.Delay(10, patience.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"condition not met within {EmulatorTestClock.RealPatience}");
            }
        }
    }

    public static AuthenticationHeaderValue BasicAuth(string key) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key)));

    public Task<HttpResponseMessage> UploadAsync(params (string Field, string FileName, byte[] Content)[] files) =>
        UploadAsync(TestIds.UploadPath(), files);

    public async Task<HttpResponseMessage> UploadAsync(string path, params (string Field, string FileName, byte[] Content)[] files)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (field, fileName, content) in files)
        {
            form.Add(new ByteArrayContent(content), field, fileName);
        }
        return await Client.PostAsync(path, form);
    }

    public async Task<JsonElement[]> ListAsync(string company = TestIds.Company)
    {
        using var response = await Client.GetAsync(TestIds.ListPath(company));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.EnumerateArray().ToArray();
    }

    public async Task<Dictionary<string, byte[]>> DownloadAsync(string company = TestIds.Company, string? date = null)
    {
        using var response = await Client.GetAsync(TestIds.DownloadPath(company, date));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        return ZipContents.Read(await response.Content.ReadAsByteArrayAsync());
    }

    public async Task ControlAsync(HttpMethod method, string path, object? body = null, System.Net.HttpStatusCode expected = System.Net.HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, "_emulator/" + path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await Control.SendAsync(request);
        Assert.True(response.StatusCode == expected || (int)response.StatusCode / 100 == 2 && (int)expected / 100 == 2,
            $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public Task AddFaultAsync(object fault) => ControlAsync(HttpMethod.Post, "faults", fault, System.Net.HttpStatusCode.Created);

    public Task SetClockAsync(string now) => ControlAsync(HttpMethod.Post, "clock", new { now });

    public async Task<JsonElement[]> RequestLogAsync()
    {
        var json = await Control.GetFromJsonAsync<JsonElement>("_emulator/requests");
        return json.EnumerateArray().ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        Control.Dispose();
        await Server.DisposeAsync();
    }
}
