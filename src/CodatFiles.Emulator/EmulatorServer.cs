using CodatFiles.Emulator.Api;
using CodatFiles.Emulator.Control;
using CodatFiles.Emulator.Download;
using CodatFiles.Emulator.Faults;
using CodatFiles.Emulator.Limits;
using CodatFiles.Emulator.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace CodatFiles.Emulator;

/// <summary>
/// A running emulator. Tests host it in-process:
/// <code>await using var server = await EmulatorServer.StartAsync(new EmulatorOptions());</code>
/// and talk HTTP to <see cref="BaseUrl"/>. Program.cs uses the same class for the command line.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private const string LoopbackFreePort = "http://127.0.0.1:0";

    private readonly WebApplication _app;
    private readonly bool _ownsDataDirectory;

    private EmulatorServer(WebApplication app, EmulatorOptions options, Uri baseUrl, string dataDirectory, bool ownsDataDirectory)
    {
        _app = app;
        Options = options;
        BaseUrl = baseUrl;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
    }

    /// <summary>Where the emulator listens, with a trailing slash, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    public EmulatorOptions Options { get; }

    /// <summary>The data directory in use: <see cref="EmulatorOptions.DataDirectory"/> or the temporary one.</summary>
    public string DataDirectory { get; }

    /// <summary>Starts an emulator on 127.0.0.1 on a free port.</summary>
    public static Task<EmulatorServer> StartAsync(EmulatorOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, LoopbackFreePort, cancellationToken);

    /// <summary>Starts an emulator on the given ASP.NET Core <c>--urls</c> value (the command line's way).</summary>
    internal static async Task<EmulatorServer> StartAsync(EmulatorOptions options, string urls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);

        var ownsDataDirectory = options.DataDirectory is null;
        var dataDirectory = Path.GetFullPath(options.DataDirectory
            ?? Path.Combine(Path.GetTempPath(), "codatfiles-emulator-" + Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(dataDirectory);

        var app = BuildApp(options, urls, dataDirectory);
        try
        {
            await app.StartAsync(cancellationToken);
            var baseUrl = ReadBoundAddress(app);
            return new EmulatorServer(app, options, baseUrl, dataDirectory, ownsDataDirectory);
        }
        catch
        {
            await app.DisposeAsync();
            if (ownsDataDirectory)
            {
                TryDeleteDirectory(dataDirectory);
            }
            throw;
        }
    }

    /// <summary>Completes when the host is asked to stop (Ctrl+C, SIGTERM); used by the command line.</summary>
    internal Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsDataDirectory)
        {
            TryDeleteDirectory(DataDirectory);
        }
    }

    private static WebApplication BuildApp(EmulatorOptions options, string urls, string dataDirectory)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EmulatorServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.WebHost.UseUrls(urls);

        // Warnings only: the demo's console should show the emulator's own lines, not request chatter.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var time = options.TimeProvider;
        builder.Services.AddSingleton(time); // as TimeProvider; Kestrel's own timers do not read it and stay real
        var registry = new CompanyRegistry(options.Companies);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton(new FileStore(dataDirectory));
        builder.Services.AddSingleton<EmulatorClock>();
        builder.Services.AddSingleton(new DailyQuota(
            () => options.DailyQuota ?? 1000 * (1 + registry.Count), time));
        builder.Services.AddSingleton(new ConcurrencyLimiter(options.MaxConcurrentRequestsPerCompany));
        builder.Services.AddSingleton(new SimulatedLatency(options.LatencyMs, time));
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<ArchiveLayout>();
        builder.Services.AddSingleton<SyntheticLists>();
        builder.Services.AddSingleton<RequestLog>();
        builder.Services.AddSingleton(new ApiKeyAuthenticator(options.ApiKey));
        builder.Services.AddSingleton<ApiRequestPipeline>();
        builder.Services.AddSingleton<UploadFilesEndpoint>();
        builder.Services.AddSingleton<ListFilesEndpoint>();
        builder.Services.AddSingleton<DownloadFilesEndpoint>();

        var app = builder.Build();
        app.UseMiddleware<ServerDateMiddleware>();
        app.UseMiddleware<RateLimitHeadersMiddleware>();
        app.MapEmulatorControl(options.ControlToken);
        app.MapCodatFilesApi();
        return app;
    }

    private static Uri ReadBoundAddress(WebApplication app)
    {
        // The real address, so a requested port 0 reads back as the port the OS gave.
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var address = addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The emulator started without a listening address.");
        return new Uri(address.TrimEnd('/') + "/");
    }

    private static void Validate(EmulatorOptions options)
    {
        if (string.IsNullOrEmpty(options.ApiKey))
        {
            throw new ArgumentException("ApiKey must not be empty.", nameof(options));
        }
        if (string.IsNullOrWhiteSpace(options.ControlToken))
        {
            throw new ArgumentException("ControlToken must not be empty: the control endpoints always need one.", nameof(options));
        }
        if (options.DailyQuota is < 0)
        {
            throw new ArgumentException("DailyQuota must not be negative.", nameof(options));
        }
        if (options.TimeProvider is null)
        {
            throw new ArgumentException("TimeProvider must not be null (TimeProvider.System is the default).", nameof(options));
        }
        if (options.Companies is null)
        {
            throw new ArgumentException("Companies must not be null (an empty list is fine).", nameof(options));
        }
        if (options.LatencyMs < 0)
        {
            throw new ArgumentException("LatencyMs must not be negative.", nameof(options));
        }
        if (options.MaxConcurrentRequestsPerCompany < 1)
        {
            throw new ArgumentException("MaxConcurrentRequestsPerCompany must be at least 1.", nameof(options));
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Leaving a temp folder behind is better than failing a test's cleanup.
        }
    }
}
