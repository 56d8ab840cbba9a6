using System.Globalization;

namespace CodatFiles.Emulator.Control;

/// <summary>
/// Stamps every response's <c>Date</c> header from <see cref="EmulatorClock"/>, the clock uploads are stamped
/// with, instead of Kestrel's real-time one: a server has one clock, so moving it (POST /_emulator/clock) skews
/// both the <c>uploaded</c> times and the <c>Date</c> a client estimates the server's clock from.
/// </summary>
internal sealed class ServerDateMiddleware(RequestDelegate next, EmulatorClock clock)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            // RFC 1123, whole seconds, as HTTP requires; Kestrel keeps a Date the application set.
            context.Response.Headers.Date = clock.UtcNow.ToString("r", CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        return next(context);
    }
}
