using System.Text.Json;
using CodatFiles.Emulator.Api;

namespace CodatFiles.Emulator.Errors;

/// <summary>
/// Builds and writes Codat error responses. Every error of the emulator goes through here so they all share
/// the spec's shape, a fresh correlation id and the JSON content type.
/// </summary>
internal static class CodatErrors
{
    /// <summary>The service Codat names for most API errors.</summary>
    public const string PublicApi = "PublicApi";

    /// <summary>Codat answers unknown companies from its clients service (see the spec's 404 example).</summary>
    public const string ClientsApi = "ClientsApi";

    public static CodatErrorBody Create(int statusCode, string error, string service = PublicApi,
        CodatValidation? validation = null, string canBeRetried = "Unknown") =>
        new(statusCode, service, error, NewCorrelationId(), validation, canBeRetried, DetailedErrorCode: 0);

    /// <summary>32 lower-case hex characters, like Codat's own ids.</summary>
    public static string NewCorrelationId() => Guid.NewGuid().ToString("N");

    public static async Task WriteAsync(HttpContext context, CodatErrorBody body)
    {
        context.Response.StatusCode = body.StatusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, ApiJson.Options, context.RequestAborted);
    }

    public static Task WriteAsync(HttpContext context, int statusCode, string error, string service = PublicApi,
        CodatValidation? validation = null, string canBeRetried = "Unknown") =>
        WriteAsync(context, Create(statusCode, error, service, validation, canBeRetried));

    /// <summary>The canned texts of the spec's example responses, for statuses injected as faults.</summary>
    public static string DefaultMessageFor(int statusCode) => statusCode switch
    {
        400 => "Error processing request - not valid.",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "You are using an outdated API key or a key not associated with that resource.",
        404 => "Not Found",
        408 => "Request Timeout",
        429 => "You have made too many requests in a given amount of time; please retry later.",
        500 => "There is a problem with our server. Please try again later.",
        503 => "The Codat API is temporarily offline for maintenance. Please try again later.",
        _ => $"The emulator answered with status {statusCode} as instructed by an injected fault.",
    };
}
