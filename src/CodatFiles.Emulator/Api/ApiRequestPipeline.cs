using CodatFiles.Emulator.Control;
using CodatFiles.Emulator.Errors;
using CodatFiles.Emulator.Faults;
using CodatFiles.Emulator.Limits;
using CodatFiles.Emulator.Storage;
using CodatFiles.Emulator.Upload;
using Microsoft.AspNetCore.Http.Features;

namespace CodatFiles.Emulator.Api;

/// <summary>
/// What every API request goes through before its operation runs, in this order:
/// log → failing fault (status, reset) → auth → concurrency slot → delay fault → daily quota → path ids → operation
/// → withheld answer (store-then-drop, store-then-delay, late-commit).
/// The simulated latency (--latency-ms) is waited right after the slot is taken, so it holds the slot as a request
/// in progress at Codat does; requests that get no slot (failing faults, 401, the concurrency 429) wait it before
/// their answer.
/// Failing faults come before auth so any request can be failed. The slot is taken only after auth, so requests
/// with bad credentials never use up a company's allowance, and before the delay, so that a delay fault holds a
/// slot: that is how tests fill a company's concurrency allowance. Each request takes the next matching fault
/// rule on arrival, whatever happens to it afterwards. Every wait, and the time the log records, is on the
/// emulator's clock (<see cref="EmulatorOptions.TimeProvider"/>).
/// </summary>
internal sealed class ApiRequestPipeline(
    RequestLog log,
    ConcurrencyLimiter concurrency,
    FaultInjector faults,
    SimulatedLatency latency,
    ApiKeyAuthenticator authenticator,
    DailyQuota quota,
    CompanyRegistry companies,
    TimeProvider time)
{
    public async Task RunAsync(HttpContext context, string operation, string companyIdText, string? connectionIdText,
        Func<HttpContext, ApiTarget, Task> operationHandler)
    {
        var entry = log.Start(operation, context.Request.Method, context.Request.Path.Value ?? "", companyIdText,
            time.GetUtcNow());
        AllowUploadSizedBodies(context);

        var aborted = false;
        try
        {
            var fault = faults.TryTake(operation);
            if (fault is not null) entry.TookFault(FaultKinds.NameOf(fault.Kind));
            aborted = await ServeAsync(context, fault, companyIdText, connectionIdText, operationHandler);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            aborted = true; // The client went away; nobody is left to answer.
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            await CodatErrors.WriteAsync(context, StatusCodes.Status500InternalServerError,
                $"The emulator failed: {exception.GetType().Name}: {exception.Message}");
        }
        catch (Exception) when (context.Response.HasStarted)
        {
            // Half a body has gone out (e.g. a download); cutting the connection is the only honest signal left.
            context.Abort();
            aborted = true;
        }
        finally
        {
            entry.Complete(aborted ? 0 : context.Response.StatusCode);
        }
    }

    /// <summary>
    /// Every step after the log and the fault draw, in the order of the class summary. Returns true when the
    /// connection was cut instead of answered (the request log then shows status 0).
    /// </summary>
    private async Task<bool> ServeAsync(HttpContext context, Fault? fault, string companyIdText, string? connectionIdText,
        Func<HttpContext, ApiTarget, Task> operationHandler)
    {
        if (fault is not null && fault.Kind.FailsBeforeServing())
        {
            await latency.WaitAsync(context.RequestAborted);
            return await FaultResponder.FailAsync(context, fault, time);
        }

        if (!authenticator.IsAuthorized(context.Request))
        {
            await latency.WaitAsync(context.RequestAborted);
            await FaultResponder.WaitAsync(context, fault, time); // a delay fault still delays the 401, holding no slot
            await CodatErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized");
            return false;
        }

        using var slot = concurrency.TryEnter(companyIdText);
        if (slot is null)
        {
            await latency.WaitAsync(context.RequestAborted);
            context.Response.Headers.RetryAfter = "1";
            await CodatErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests,
                "Too many concurrent requests for this company; please retry later.", canBeRetried: "True");
            return false;
        }

        await latency.WaitAsync(context.RequestAborted);
        await FaultResponder.WaitAsync(context, fault, time);

        var withinQuota = quota.TryConsume(out var state);
        RateLimitHeadersMiddleware.UseCountedState(context, state);
        if (!withinQuota)
        {
            context.Response.Headers.RetryAfter = quota.SecondsUntilReset().ToString(System.Globalization.CultureInfo.InvariantCulture);
            await CodatErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests,
                CodatErrors.DefaultMessageFor(429), canBeRetried: "True");
            return false;
        }

        if (await ResolveTargetAsync(context, companyIdText, connectionIdText) is not { } target)
        {
            return false;
        }
        if (fault is { Kind: FaultKind.LateCommit }) context.Features.Set(new LateCommit(TimeSpan.FromMilliseconds(fault.DelayMs)));
        await operationHandler(context, target);
        return await FaultResponder.WithholdAnswerAsync(context, fault, time);
    }

    /// <summary>Checks the path ids and answers 400/404 like Codat; null when an answer was given.</summary>
    private async Task<ApiTarget?> ResolveTargetAsync(HttpContext context, string companyIdText, string? connectionIdText)
    {
        if (!Guid.TryParseExact(companyIdText, "D", out var companyId))
        {
            await CodatErrors.WriteAsync(context, StatusCodes.Status400BadRequest,
                $"The company ID '{companyIdText}' is not a valid GUID.");
            return null;
        }
        if (connectionIdText is not null && !Guid.TryParseExact(connectionIdText, "D", out _))
        {
            await CodatErrors.WriteAsync(context, StatusCodes.Status400BadRequest,
                $"The connection ID '{connectionIdText}' is not a valid GUID.");
            return null;
        }
        if (!companies.ContainsCompany(companyId))
        {
            await CodatErrors.WriteAsync(context, StatusCodes.Status404NotFound,
                $"No company was found with ID {companyId:D}", CodatErrors.ClientsApi);
            return null;
        }
        if (connectionIdText is null)
        {
            return new ApiTarget(companyId, null, "");
        }
        var connectionId = Guid.ParseExact(connectionIdText, "D");
        if (!companies.TryGetIntegration(companyId, connectionId, out var integration))
        {
            await CodatErrors.WriteAsync(context, StatusCodes.Status404NotFound,
                $"Data connection {connectionId:D} not found");
            return null;
        }
        return new ApiTarget(companyId, connectionId, integration);
    }

    /// <summary>Kestrel's default body cap (~28 MiB) is below what 20 legal files may need.</summary>
    private static void AllowUploadSizedBodies(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = UploadRules.MaxRequestBodyBytes;
        }
    }
}
