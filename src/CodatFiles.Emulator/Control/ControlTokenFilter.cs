using System.Security.Cryptography;
using System.Text;
using CodatFiles.Emulator.Errors;

namespace CodatFiles.Emulator.Control;

/// <summary>
/// Guards the control endpoints: a request must send <c>Authorization: Bearer TOKEN</c> with the emulator's control
/// token. Loopback alone is not enough once the emulator is a tool users install: any local process or a web page's
/// script could otherwise wipe its files or inject faults. No header (or another scheme) answers 401, a wrong token 403.
/// </summary>
internal sealed class ControlTokenFilter(string controlToken) : IEndpointFilter
{
    private const string Scheme = "Bearer ";

    private readonly byte[] _expected = Encoding.UTF8.GetBytes(controlToken);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var values = context.HttpContext.Request.Headers.Authorization;
        if (values.Count != 1 || values[0] is not { } value || !value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"codatfiles-emulator-control\"";
            return Refuse(StatusCodes.Status401Unauthorized,
                "The emulator's control endpoints need 'Authorization: Bearer <control token>': the token Start-CodatEmulator returns, or the one given with --control-token.");
        }
        // Constant time, like the API key: the emulator never teaches a bad habit by example.
        var given = Encoding.UTF8.GetBytes(value[Scheme.Length..].Trim());
        if (!CryptographicOperations.FixedTimeEquals(given, _expected))
        {
            return Refuse(StatusCodes.Status403Forbidden, "The control token is not this emulator's.");
        }
        return await next(context);
    }

    private static IResult Refuse(int status, string message) =>
        Results.Json(CodatErrors.Create(status, message), statusCode: status);
}
