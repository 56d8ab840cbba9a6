using System.Globalization;

namespace CodatFiles.Emulator;

/// <summary>The parsed command line: options for the server plus what only the process needs.</summary>
/// <param name="ParentProcessId">Stop when this process exits (<c>--parent-pid</c>); null to run until stopped.</param>
/// <param name="ControlTokenGiven">False: the options hold a random token, which the process prints at start.</param>
internal sealed record EmulatorCommandLine(
    EmulatorOptions Options, string Urls, string? ReadyFile, int? ParentProcessId, bool ApiKeyGiven, bool ShowHelp, bool ControlTokenGiven = false)
{
    public const string Usage = """
        Usage: CodatFiles.Emulator [options]
          --urls URL              where to listen, on loopback only: 127.0.0.1, [::1] or localhost
                                  (default http://127.0.0.1:0 = a free port)
          --api-key KEY           the API key clients must send (default: codat-emulator-dev-key)
          --control-token T       what the control endpoints (/_emulator/*, but health) require as
                                  'Authorization: Bearer T' (default: a random token, printed at start)
          --data-dir DIR          keep uploaded files here across restarts (default: a temporary folder)
          --daily-quota N         requests per UTC day (default 1000 x (1 + companies))
          --max-concurrent N      requests in flight per company (default 10)
          --latency-ms N          answer every API request no sooner than N ms after it arrived, like a hosted
                                  API's round trip; a request holds its company's concurrency slot while it
                                  waits (default 0)
          --company C:K[=I][,K[=I]...]  add company C with connections K (integration I: Accounting,
                                  Banking or BusinessDocuments; default Accounting); repeatable
          --ready-file PATH       write the base URL here once listening
          --parent-pid PID        exit when process PID exits (checked every second), so an emulator started
                                  by a script or test run that is killed does not keep running
          --help                  show this text
        """;

    /// <summary>Parses <c>--name value</c> and <c>--name=value</c>; throws <see cref="FormatException"/> with a readable message.</summary>
    public static EmulatorCommandLine Parse(IReadOnlyList<string> args)
    {
        var options = new EmulatorOptions();
        var urls = "http://127.0.0.1:0";
        string? readyFile = null;
        int? parentProcessId = null;
        var apiKeyGiven = false;
        var controlTokenGiven = false;

        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = Split(args[i]);
            string Value() => inlineValue ?? (i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a value."));

            switch (name)
            {
                case "--help" or "-h" or "-?":
                    return new EmulatorCommandLine(options, urls, readyFile, parentProcessId, apiKeyGiven, ShowHelp: true);
                case "--urls":
                    urls = RequireLoopback(Value());
                    break;
                case "--api-key":
                    options.ApiKey = Value();
                    apiKeyGiven = true;
                    if (options.ApiKey.Length == 0)
                    {
                        throw new FormatException("--api-key must not be empty.");
                    }
                    break;
                case "--control-token":
                    options.ControlToken = Value();
                    controlTokenGiven = true;
                    if (string.IsNullOrWhiteSpace(options.ControlToken))
                    {
                        throw new FormatException("--control-token must not be empty.");
                    }
                    break;
                case "--data-dir":
                    options.DataDirectory = Value();
                    break;
                case "--daily-quota":
                    options.DailyQuota = ParseCount(name, Value(), minimum: 0);
                    break;
                case "--max-concurrent":
                    options.MaxConcurrentRequestsPerCompany = ParseCount(name, Value(), minimum: 1);
                    break;
                case "--latency-ms":
                    options.LatencyMs = ParseCount(name, Value(), minimum: 0);
                    break;
                case "--company":
                    options.Companies.Add(ParseCompany(Value()));
                    break;
                case "--ready-file":
                    readyFile = Value();
                    break;
                case "--parent-pid":
                    parentProcessId = ParseCount(name, Value(), minimum: 1);
                    break;
                default:
                    throw new FormatException($"Unknown argument '{args[i]}'.");
            }
        }
        return new EmulatorCommandLine(options, urls, readyFile, parentProcessId, apiKeyGiven, ShowHelp: false, controlTokenGiven);
    }

    /// <summary><c>COMPANY:CONNECTION[=Integration][,CONNECTION[=Integration]...]</c></summary>
    internal static EmulatorCompany ParseCompany(string text)
    {
        var colon = text.IndexOf(':');
        var companyText = colon < 0 ? text : text[..colon];
        if (!Guid.TryParse(companyText, out var companyId))
        {
            throw new FormatException($"--company: '{companyText}' is not a GUID.");
        }
        var connections = new List<EmulatorConnection>();
        if (colon >= 0)
        {
            foreach (var item in text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = item.Split('=', 2);
                if (!Guid.TryParse(parts[0], out var connectionId))
                {
                    throw new FormatException($"--company: connection '{parts[0]}' is not a GUID.");
                }
                var integration = Integrations.Accounting;
                if (parts.Length == 2 && !Integrations.TryNormalize(parts[1], out integration))
                {
                    throw new FormatException($"--company: unknown integration '{parts[1]}'; use {string.Join(", ", Integrations.All)}.");
                }
                connections.Add(new EmulatorConnection(connectionId, integration));
            }
        }
        return new EmulatorCompany(companyId, connections);
    }

    /// <summary>
    /// The emulator listens on loopback only: it has a well-known API key and a file store anyone could fill, so it must
    /// never be reachable from another machine. Every URL of a ';'-separated list must name a loopback host.
    /// </summary>
    internal static string RequireLoopback(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var loopback = Uri.TryCreate(url, UriKind.Absolute, out var uri)
                && (uri.IsLoopback || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase));
            if (!loopback)
            {
                throw new FormatException($"--urls: '{url}' is not a loopback address; the emulator listens on 127.0.0.1, [::1] or localhost only.");
            }
        }
        return urls;
    }

    private static (string Name, string? Value) Split(string arg)
    {
        var equals = arg.IndexOf('=');
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static int ParseCount(string name, string value, int minimum) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= minimum
            ? count
            : throw new FormatException($"{name} needs a whole number of at least {minimum}, not '{value}'.");
}
