using System.Net.Http.Json;
using System.Text;
using CodatFiles.Client;
using CodatFiles.Emulator;

namespace CodatFiles.Client.Tests;

/// <summary>
/// One in-process emulator per test (a fresh server keeps tests independent and lets xunit run classes in
/// parallel), the seeded company/connection, clients pointed at it, and the control endpoints of contracts.md.
/// The emulator runs on the system clock unless a test gives it one (<c>StartAsync(o =&gt; o.TimeProvider = clock)</c>):
/// a test that holds requests with the emulator's waits (delay faults, store-then-delay, late commits) shares its
/// <see cref="TestClock"/> with it, so those waits end only when the test moves the clock, never in real time.
/// </summary>
internal sealed class EmulatorHarness : IAsyncDisposable
{
    /// <summary>A key with a marker that is easy to search for in messages.</summary>
    public const string ApiKey = "test-key-SECRET-7f3a9c";

    public static readonly Guid Company = EmulatorOptions.SpecExampleCompanyId;
    public static readonly Guid Connection = EmulatorOptions.SpecExampleConnectionId;

    private readonly List<CodatFilesClient> _clients = new();

    private EmulatorHarness(EmulatorServer server)
    {
        Server = server;
        Control = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        Control.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", server.Options.ControlToken);
    }

    public EmulatorServer Server { get; }

    /// <summary>Sends the emulator's control token (its random default), for the control endpoints.</summary>
    public HttpClient Control { get; }

    public static string ApiKeyBase64 => Convert.ToBase64String(Encoding.UTF8.GetBytes(ApiKey));

    public static async Task<EmulatorHarness> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { ApiKey = ApiKey };
        configure?.Invoke(options);
        return new EmulatorHarness(await EmulatorServer.StartAsync(options));
    }

    /// <summary>Fast retries so the suite stays quick: 50 ms growing ×2, no jitter, generous budgets.</summary>
    public static CodatRetryOptions FastRetry(int maxRetries = 3) => new()
    {
        MaxRetryAttempts = maxRetries,
        InitialInterval = TimeSpan.FromMilliseconds(50),
        Exponent = 2,
        MaxInterval = TimeSpan.FromSeconds(5),
        MaxElapsedTime = TimeSpan.FromSeconds(30),
        PerAttemptTimeout = TimeSpan.FromSeconds(20),
        UseJitter = false,
    };

    /// <summary>
    /// The clients' clock unless a test gives its own: fake, and passing retry waits at once, so no test waits on
    /// the real clock for a retry. Attempt timeouts and budgets stay where they are unless a test moves them.
    /// </summary>
    public TestClock Clock { get; } = new TestClock(passShortWaits: true);

    public CodatFilesClient CreateClient(CodatRetryOptions? retry = null, string? apiKey = null, HttpMessageHandler? handler = null,
        string? userAgent = null, TimeProvider? time = null)
    {
        var options = new CodatClientOptions
        {
            ServerUrl = Server.BaseUrl,
            ApiKey = apiKey ?? ApiKey,
            Retry = retry ?? FastRetry(),
            UserAgent = userAgent,
            TimeProvider = time ?? Clock,
        };
        var client = handler is null ? new CodatFilesClient(options) : new CodatFilesClient(options, handler);
        _clients.Add(client);
        return client;
    }

    public async Task AddFaultAsync(string? operation, string kind, int count = 1, int? status = null, string? retryAfter = null, int delayMs = 0)
    {
        using var response = await Control.PostAsJsonAsync("_emulator/faults",
            new { operation, count, kind, status, retryAfter, delayMs });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>The next download answers 200 application/octet-stream with exactly these bytes (emulator raw-body fault).</summary>
    public async Task AddRawBodyFaultAsync(byte[] body, int count = 1)
    {
        using var response = await Control.PostAsJsonAsync("_emulator/faults",
            new { operation = "download-files", count, kind = "raw-body", bodyBase64 = Convert.ToBase64String(body) });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    public async Task<IReadOnlyList<LoggedRequest>> GetRequestsAsync()
    {
        var entries = await Control.GetFromJsonAsync<List<LoggedRequest>>("_emulator/requests");
        return entries!;
    }

    /// <summary>Waits (on a condition, bounded in real time) until the emulator has received <paramref name="count"/> API requests.</summary>
    public Task WaitForRequestsAsync(int count) => WaitUntilAsync(async () => (await GetRequestsAsync()).Count >= count);

    /// <summary>Polls <paramref name="condition"/> until it holds, for something the emulator does in its own time (a late commit's write); bounded in real time.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            await Task.Delay(10, patience.Token);
        }
    }

    /// <summary>
    /// Lets each of a call's <paramref name="attempts"/> time out on <paramref name="clock"/>: once the emulator
    /// holds the attempt's request (so the timeout cannot cut it off before it arrived), passes the attempt's
    /// timeout, then the retry wait before the next attempt. <paramref name="requestsBefore"/> is the number of
    /// requests the emulator had received before the call started.
    /// </summary>
    public async Task TimeOutAttemptsAsync(TestClock clock, int requestsBefore, TimeSpan perAttempt, TimeSpan retryWait, int attempts)
    {
        var before = requestsBefore;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            await WaitForRequestsAsync(before + attempt);
            await clock.PassAsync(perAttempt);
            if (attempt < attempts) await clock.PassAsync(retryWait);
        }
    }

    public async Task SetClockAsync(DateTimeOffset now)
    {
        using var response = await Control.PostAsJsonAsync("_emulator/clock", new { now });
        response.EnsureSuccessStatusCode();
    }

    public async Task ResetClockAsync()
    {
        using var response = await Control.DeleteAsync("_emulator/clock");
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        Control.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>One entry of GET /_emulator/requests.</summary>
internal sealed record LoggedRequest(string Operation, string Method, string Path, int Status, DateTimeOffset ReceivedAt, string? CompanyId);

/// <summary>A temporary folder with helpers to create files of known random content.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "codatfiles-client-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string CreateFile(string name, int length, int seed = 1)
    {
        var bytes = RandomBytes(length, seed);
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public string[] Entries() => Directory.GetFileSystemEntries(Path);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Collects progress synchronously (Progress&lt;T&gt; would post to the thread pool and arrive late).</summary>
internal sealed class ProgressRecorder : IProgress<TransferProgress>
{
    private readonly List<TransferProgress> _reports = new();

    public IReadOnlyList<TransferProgress> Reports
    {
        get { lock (_reports) return _reports.ToList(); }
    }

    public void Report(TransferProgress value)
    {
        lock (_reports) _reports.Add(value);
    }
}

/// <summary>An in-memory upload source that counts how often it is opened and disposed.</summary>
internal sealed class CountingSource
{
    private readonly byte[] _content;
    private int _opened;
    private int _disposed;

    public CountingSource(string fileName, byte[] content, bool declareLength = true)
    {
        _content = content;
        File = new UploadFile(fileName, declareLength ? content.Length : null, Open);
    }

    public UploadFile File { get; }

    public int Opened => Volatile.Read(ref _opened);

    public int Disposed => Volatile.Read(ref _disposed);

    private Stream Open()
    {
        Interlocked.Increment(ref _opened);
        return new NotifyingStream(_content, () => Interlocked.Increment(ref _disposed));
    }

    private sealed class NotifyingStream(byte[] content, Action onDispose) : MemoryStream(content, writable: false)
    {
        private bool _done;

        protected override void Dispose(bool disposing)
        {
            if (!_done)
            {
                _done = true;
                onDispose();
            }

            base.Dispose(disposing);
        }
    }
}
