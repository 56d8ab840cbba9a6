using System.Globalization;
using System.Text;
using CodatFiles.Emulator.Errors;
using CodatFiles.Emulator.Limits;

namespace CodatFiles.Emulator.Faults;

/// <summary>Carries out an injected fault on one request: its wait, and for failing kinds its answer.</summary>
internal static class FaultResponder
{
    /// <summary>Where a redirect fault points: no page is served there.</summary>
    public const string SignInPath = "/sign-in";

    private const string SignInPage =
        "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form method=\"post\">Sign in to continue</form></body></html>\n";

    /// <summary>
    /// Waits the fault's <see cref="Fault.DelayMs"/> before the request is served; nothing when there is no fault,
    /// or for store-then-delay, whose delay holds back the answer instead (<see cref="WithholdAnswerAsync"/>), and
    /// for late-commit, whose delay holds back the commit (<see cref="LateCommit"/>). Every fault waits on the
    /// emulator's clock, <paramref name="time"/>.
    /// </summary>
    public static Task WaitAsync(HttpContext context, Fault? fault, TimeProvider time) =>
        fault is { DelayMs: > 0, Kind: not (FaultKind.StoreThenDelay or FaultKind.LateCommit) }
            ? Waits.AtLeastAsync(TimeSpan.FromMilliseconds(fault.DelayMs), time, context.RequestAborted)
            : Task.CompletedTask;

    /// <summary>
    /// Waits, then fails the request as a status or reset fault asks. Returns true when the connection was cut
    /// (the request log then shows status 0).
    /// </summary>
    public static async Task<bool> FailAsync(HttpContext context, Fault fault, TimeProvider time)
    {
        await WaitAsync(context, fault, time);
        switch (fault.Kind)
        {
            case FaultKind.Status:
                if (fault.RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = fault.RetryAfter; // verbatim: seconds or HTTP-date
                }
                var message = CodatErrors.DefaultMessageFor(fault.Status);
                if (fault.EchoKey && SentKey(context) is string sent)
                {
                    // Unpadded base64 and lower-case percent-encoding: shapes a plain search for the key would miss.
                    message += $" (request key {Base64(sent).TrimEnd('=')}, {LowerCasePercentEncoded(sent)})";
                }
                await CodatErrors.WriteAsync(context, fault.Status, message,
                    canBeRetried: fault.Status is 408 or 429 or >= 500 ? "True" : "Unknown");
                return false;
            case FaultKind.ResetAfterBody:
                await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
                context.Abort();
                return true;
            case FaultKind.ResetBeforeBody:
                context.Abort();
                return true;
            case FaultKind.AcceptNotStore:
                await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentLength = 0;
                return false;
            case FaultKind.HtmlPage:
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(SignInPage, context.RequestAborted);
                return false;
            case FaultKind.RawBody:
                var body = fault.Body ?? [];
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/octet-stream";
                context.Response.ContentLength = body.Length;
                await context.Response.Body.WriteAsync(body, context.RequestAborted);
                return false;
            case FaultKind.Redirect:
                context.Response.StatusCode = StatusCodes.Status302Found;
                context.Response.Headers.Location = $"{context.Request.Scheme}://{context.Request.Host}{SignInPath}" +
                    (fault.EchoKey && SentKey(context) is string key
                        ? $"?key={Uri.EscapeDataString(key)}&token={Base64(key).TrimEnd('=').Replace('+', '-').Replace('/', '_')}"
                        : string.Empty);
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(SignInPage, context.RequestAborted);
                return false;
            default:
                throw new ArgumentException($"A {fault.Kind} fault does not fail the request.", nameof(fault));
        }
    }

    /// <summary>The key the request's <c>Authorization: Basic base64(key)</c> carries, whether right or wrong; null without one.</summary>
    private static string? SentKey(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string LowerCasePercentEncoded(string text) =>
        string.Concat(Encoding.UTF8.GetBytes(text).Select(b => "%" + b.ToString("x2", CultureInfo.InvariantCulture)));

    /// <summary>
    /// After the operation has run: a store-then-drop or late-commit fault cuts the connection before any answer leaves (true:
    /// the request log shows status 0); a store-then-delay fault holds the answer back for its delay. The
    /// operation must not have started its response (true of upload-files, whose success has no body).
    /// </summary>
    public static async Task<bool> WithholdAnswerAsync(HttpContext context, Fault? fault, TimeProvider time)
    {
        switch (fault?.Kind)
        {
            case FaultKind.StoreThenDrop:
            case FaultKind.LateCommit:
                context.Abort();
                return true;
            case FaultKind.StoreThenDelay:
                // A client that gives up meanwhile aborts the request: the pipeline then logs status 0.
                await Waits.AtLeastAsync(TimeSpan.FromMilliseconds(fault.DelayMs), time, context.RequestAborted);
                return false;
            default:
                return false;
        }
    }
}
