using CodatFiles.Emulator.Control;

namespace CodatFiles.Emulator.Limits;

/// <summary>
/// Puts X-Rate-Limit-* on every API response, whoever answers it: the pipeline, an injected fault, or routing's
/// own 404/405 fallback, which never reaches the pipeline. Control endpoints are not Codat's API and get none.
/// </summary>
internal sealed class RateLimitHeadersMiddleware(RequestDelegate next, DailyQuota quota)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(ControlEndpoints.PathPrefix))
        {
            context.Response.OnStarting(() =>
            {
                (context.Features.Get<RateLimitState>() ?? quota.Peek()).WriteHeaders(context.Response.Headers);
                return Task.CompletedTask;
            });
        }
        return next(context);
    }

    /// <summary>
    /// Reports the state as this request was counted, rather than a peek when the headers go out, so requests
    /// finishing in parallel do not change each other's Remaining.
    /// </summary>
    public static void UseCountedState(HttpContext context, RateLimitState state) => context.Features.Set(state);
}
