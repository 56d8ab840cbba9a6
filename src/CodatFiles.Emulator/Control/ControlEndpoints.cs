using System.Text.Json;
using CodatFiles.Emulator.Api;
using CodatFiles.Emulator.Download;
using CodatFiles.Emulator.Errors;
using CodatFiles.Emulator.Faults;
using CodatFiles.Emulator.Limits;
using CodatFiles.Emulator.Storage;

namespace CodatFiles.Emulator.Control;

/// <summary>
/// /_emulator/*: the side door for tests and offline scripts (health, reset, companies, latency, quota, faults, request log,
/// clock). Separate from the API key, so tests can steer the emulator whatever key they are testing; every endpoint but
/// health needs the control token (<see cref="ControlTokenFilter"/>). Health stays open: it tells nothing but "up".
/// </summary>
internal static class ControlEndpoints
{
    public const string PathPrefix = "/_emulator";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static void MapEmulatorControl(this IEndpointRouteBuilder routes, string controlToken)
    {
        routes.MapGet(PathPrefix + "/health", () => Results.Json(new { status = "ok" }, s_json));

        var control = routes.MapGroup(PathPrefix).AddEndpointFilter(new ControlTokenFilter(controlToken));

        MapStateEndpoints(control);
        MapLimitEndpoints(control);
        MapFaultEndpoints(control);
        MapLogAndClockEndpoints(control);
    }

    /// <summary>Reset and companies.</summary>
    private static void MapStateEndpoints(RouteGroupBuilder control)
    {
        control.MapPost("/reset", (FileStore store, FaultInjector faults, RequestLog log, DailyQuota quota, EmulatorClock clock, ArchiveLayout layout,
            SyntheticLists synthetic) =>
        {
            store.Clear();
            synthetic.Clear();
            faults.Clear();
            log.Clear();
            quota.Reset();
            clock.UseProviderTime();
            layout.Reset();
            return Results.Ok();
        });

        control.MapPost("/companies", async (HttpContext context, CompanyRegistry registry) =>
        {
            var (request, problem) = await ReadAsync<CompanyRegistrationRequest>(context);
            if (request is null)
            {
                return problem!;
            }
            if (request.CompanyId is not { } companyId)
            {
                return BadRequest("companyId is required.");
            }
            var connections = new List<EmulatorConnection>();
            foreach (var connection in request.Connections ?? [])
            {
                if (connection.ConnectionId is not { } connectionId)
                {
                    return BadRequest("Every connection needs a connectionId.");
                }
                var integration = Integrations.Accounting;
                if (connection.Integration is not null && !Integrations.TryNormalize(connection.Integration, out integration))
                {
                    return BadRequest($"Unknown integration '{connection.Integration}'; use one of {string.Join(", ", Integrations.All)}.");
                }
                connections.Add(new EmulatorConnection(connectionId, integration));
            }
            var company = new EmulatorCompany(companyId, connections);
            registry.Add(company);
            return Results.Json(company, s_json, statusCode: StatusCodes.Status201Created);
        });
    }

    /// <summary>Latency and the daily quota.</summary>
    private static void MapLimitEndpoints(RouteGroupBuilder control)
    {
        control.MapPut("/latency", async (HttpContext context, SimulatedLatency latency) =>
        {
            var (request, problem) = await ReadAsync<LatencyRequest>(context);
            if (request is null)
            {
                return problem!;
            }
            if (request.LatencyMs is not (>= 0 and var ms))
            {
                return BadRequest("latencyMs is required and must be 0 or more.");
            }
            latency.LatencyMs = ms;
            return Results.Json(new { latencyMs = ms }, s_json);
        });

        control.MapPut("/quota", async (HttpContext context, DailyQuota quota, TimeProvider time) =>
        {
            var (request, problem) = await ReadAsync<QuotaRequest>(context);
            if (request is null)
            {
                return problem!;
            }
            if (request.Remaining is not (>= 0 and var remaining))
            {
                return BadRequest("remaining is required and must be 0 or more.");
            }
            if (request.ResetsAt is { } resetsAt && resetsAt <= time.GetUtcNow())
            {
                return BadRequest("resetsAt must lie in the future.");
            }
            var state = quota.SetRemaining(remaining, request.ResetsAt);
            return Results.Json(new { limit = state.Limit, remaining = state.Remaining, resetsAt = state.ResetsAt }, s_json);
        });
    }

    /// <summary>Injected faults.</summary>
    private static void MapFaultEndpoints(RouteGroupBuilder control)
    {
        control.MapPost("/faults", async (HttpContext context, FaultInjector faults) =>
        {
            var (request, problem) = await ReadAsync<FaultRequest>(context);
            if (request is null)
            {
                return problem!;
            }
            if (request.Operation is not null && !ApiOperation.All.Contains(request.Operation))
            {
                return BadRequest($"Unknown operation '{request.Operation}'; use one of {string.Join(", ", ApiOperation.All)} or null.");
            }
            if (!FaultKinds.TryParse(request.Kind, out var kind))
            {
                return BadRequest($"Unknown kind '{request.Kind}'; use one of {string.Join(", ", FaultKinds.Names)}.");
            }
            var count = request.Count ?? 1;
            var status = request.Status ?? StatusCodes.Status503ServiceUnavailable;
            var delayMs = request.DelayMs ?? 0;
            if (count < 1 || delayMs < 0)
            {
                return BadRequest("count must be at least 1 and delayMs not negative.");
            }
            // Only error statuses: 1xx, 204 and 304 cannot carry the Codat error body (Kestrel drops the connection
            // or switches protocols), and a faked 2xx/3xx would not be a fault a client has to handle.
            if (status is < 400 or > 599)
            {
                return BadRequest($"status must be an error status between 400 and 599, not {status}.");
            }
            var probability = request.Probability ?? 1;
            if (probability is not (> 0 and <= 1))
            {
                return BadRequest("probability must be more than 0 and at most 1.");
            }
            if (!TryDecodeRawBody(kind, request.BodyBase64, out var body))
            {
                return BadRequest("A raw-body fault needs bodyBase64: the answer's bytes in base64 (\"\" for an empty body).");
            }
            var echoKey = request.EchoKey ?? false;
            if (echoKey && kind is not (FaultKind.Status or FaultKind.Redirect))
            {
                return BadRequest("echoKey applies to status and redirect faults only.");
            }
            faults.Add(request.Operation, count, new Fault(kind, status, request.RetryAfter, delayMs, body, echoKey), probability);
            // The body is not echoed back: it may be large.
            return Results.Json(request with { Count = count, Status = status, DelayMs = delayMs, Probability = probability, BodyBase64 = null }, s_json,
                statusCode: StatusCodes.Status201Created);
        });

        control.MapDelete("/faults", (FaultInjector faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });
    }

    /// <summary>The request log, the clock and the download archive layout.</summary>
    private static void MapLogAndClockEndpoints(RouteGroupBuilder control)
    {
        control.MapGet("/requests", (RequestLog log) => Results.Json(log.Snapshot(), s_json));

        control.MapDelete("/requests", (RequestLog log) =>
        {
            log.Clear();
            return Results.NoContent();
        });

        control.MapPost("/clock", async (HttpContext context, EmulatorClock clock) =>
        {
            var (request, problem) = await ReadAsync<ClockRequest>(context);
            if (request is null)
            {
                return problem!;
            }
            if (request.Now is not { } now)
            {
                return BadRequest("now is required, e.g. {\"now\":\"2024-03-05T10:00:00Z\"}.");
            }
            clock.Set(now);
            return Results.Json(new { now = clock.UtcNow }, s_json);
        });

        control.MapDelete("/clock", (EmulatorClock clock) =>
        {
            clock.UseProviderTime();
            return Results.NoContent();
        });

        MapSyntheticList(control);

        control.MapPost("/archive-layout", async (HttpContext context, ArchiveLayout layout) =>
        {
            var (request, problem) = await ReadAsync<ArchiveLayoutRequest>(context);
            if (request is null)
            {
                return problem!;
            }
            layout.Set(request.Folders ?? true, string.Equals(request.Copies, "underscore", StringComparison.OrdinalIgnoreCase));
            return Results.Json(new { folders = layout.Current.Folders, copies = layout.Current.UnderscoreCopies ? "underscore" : "parenthesized" }, s_json);
        });
    }

    /// <summary>PUT /synthetic-list: made-up entries after a company's stored files in its list answers (see contracts.md).</summary>
    private static void MapSyntheticList(RouteGroupBuilder control) =>
        control.MapPut("/synthetic-list", async (HttpContext context, SyntheticLists lists, EmulatorClock clock) =>
        {
            var (request, problem) = await ReadAsync<SyntheticListRequest>(context);
            if (request is null)
            {
                return problem!;
            }
            if (request.CompanyId is not { } companyId || request.Count is not (>= 0 and var count))
            {
                return BadRequest("companyId and count (0 or more) are required.");
            }
            if (request.NameLength is < 1 or > 255 || request.AbortAfter is < 0)
            {
                return BadRequest("nameLength must be 1 to 255 and abortAfter 0 or more.");
            }
            var list = new SyntheticList(count, request.NameLength ?? 30, clock.UtcNow, request.AbortAfter);
            lists.Set(companyId, list);
            return Results.Json(new { companyId, count, nameLength = request.NameLength ?? 30, abortAfter = request.AbortAfter }, s_json);
        });

    /// <summary>A raw-body fault's bytes (null for other kinds); false when a raw-body fault's base64 is missing or bad.</summary>
    private static bool TryDecodeRawBody(FaultKind kind, string? base64, out byte[]? body)
    {
        body = null;
        if (kind != FaultKind.RawBody)
        {
            return true;
        }
        try
        {
            body = Convert.FromBase64String(base64 ?? throw new FormatException());
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static async Task<(T? Request, IResult? Problem)> ReadAsync<T>(HttpContext context) where T : class
    {
        try
        {
            var request = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, s_json, context.RequestAborted);
            return request is null ? (null, BadRequest("A JSON body is required.")) : (request, null);
        }
        catch (JsonException exception)
        {
            return (null, BadRequest($"The body is not valid JSON for this endpoint: {exception.Message}"));
        }
    }

    private static IResult BadRequest(string message) =>
        Results.Json(CodatErrors.Create(StatusCodes.Status400BadRequest, message), statusCode: StatusCodes.Status400BadRequest);
}
