using System.Security.Cryptography;
using System.Text;

namespace CodatFiles.Emulator.Api;

/// <summary>
/// Codat's auth_header scheme: <c>Authorization: Basic base64(utf8(apiKey))</c>, compared exactly (a single
/// header, no other spacing or casing) because Codat's SDKs send the value verbatim and a client that gets it
/// slightly wrong should fail here, not in production.
/// </summary>
internal sealed class ApiKeyAuthenticator
{
    private readonly byte[] _expected;

    public ApiKeyAuthenticator(string apiKey) =>
        _expected = Encoding.UTF8.GetBytes("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(apiKey)));

    public bool IsAuthorized(HttpRequest request)
    {
        var values = request.Headers.Authorization;
        if (values.Count != 1 || values[0] is not { } value)
        {
            return false;
        }
        // Constant time, so the emulator never teaches a bad habit by example.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(value), _expected);
    }
}
