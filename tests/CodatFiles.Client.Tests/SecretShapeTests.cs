using System.Net;
using System.Text;
using CodatFiles.Client.Internal;

namespace CodatFiles.Client.Tests;

/// <summary>
/// Every shape a server may echo the key in is masked (raw, base64 and base64url with and without padding, and
/// each percent-encoded with hex in either case, inside a Location too), and URL user info is never shown.
/// </summary>
public sealed class SecretShapeTests
{
    // Chosen so that its base64 has '+', '/' and one '=' of padding, and URL-encoding changes it.
    private const string Key = "k3y-ÿÿ >&>/>";

    private static readonly string Base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Key));
    private static readonly string Base64Url = Base64.Replace('+', '-').Replace('/', '_');

    [Fact]
    public void The_test_key_has_the_awkward_characters_the_shapes_depend_on()
    {
        Assert.Contains('+', Base64);
        Assert.Contains('/', Base64);
        Assert.EndsWith("=", Base64);
        Assert.NotEqual(Key, Uri.EscapeDataString(Key));
    }

    public static TheoryData<string, string> Shapes() => new()
    {
        { "raw", Key },
        { "base64", Base64 },
        { "base64 unpadded", Base64.TrimEnd('=') },
        { "base64url", Base64Url },
        { "base64url unpadded", Base64Url.TrimEnd('=') },
        { "raw URL-encoded (upper-case hex)", Uri.EscapeDataString(Key) },
        { "raw URL-encoded (lower-case hex)", LowerHex(Uri.EscapeDataString(Key)) },
        { "raw form-encoded (space as +)", WebUtility.UrlEncode(Key) },
        { "raw, every byte percent-encoded", string.Concat(Encoding.UTF8.GetBytes(Key).Select(b => $"%{b:x2}")) },
        { "base64 URL-encoded", Uri.EscapeDataString(Base64) },
        { "base64 URL-encoded (lower-case hex)", LowerHex(Uri.EscapeDataString(Base64)) },
        { "base64 unpadded URL-encoded", Uri.EscapeDataString(Base64.TrimEnd('=')) },
        { "base64url URL-encoded", Uri.EscapeDataString(Base64Url) },
        { "Basic header value", "Basic " + Base64 },
        { "Basic header value URL-encoded", Uri.EscapeDataString("Basic " + Base64) },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Each_shape_is_masked_in_free_text_and_in_a_location(string shape, string echoed)
    {
        var redactor = new SecretRedactor(Key);

        var body = redactor.Redact($"Rejected {echoed} here");
        var location = redactor.RedactHeaderValue($"https://sso.example/sign-in?key={echoed}&next=1");

        Assert.True(body == "Rejected *** here", $"{shape}: {body}");
        Assert.True(location == "https://sso.example/sign-in?key=***&next=1", $"{shape}: {location}");
    }

    [Fact]
    public void A_short_key_keeps_the_old_rule_masked_only_as_a_token_of_its_own_but_in_every_shape()
    {
        var redactor = new SecretRedactor("ab?");   // base64 "YWI/", base64url "YWI_"

        Assert.Equal("about cab? and ab%3F", redactor.Redact("about cab? and ab%3F"));
        Assert.Equal("*** ***", redactor.RedactHeaderValue("ab%3f YWI_"));
        Assert.Equal("about *** x", redactor.Redact("about Basic YWI%2F x"));
    }

    [Theory]
    [InlineData("no response from https://user:pa55@api.example/ (reset)", "no response from https://api.example/ (reset)")]
    [InlineData("proxy 'http://u%40corp:p@ss@proxy:3128/' failed", "proxy 'http://proxy:3128/' failed")]
    [InlineData("redirected to HTTPS://alice@sso.example/x?y=a@b", "redirected to HTTPS://sso.example/x?y=a@b")]
    [InlineData("mail support@codat.io or see https://docs.codat.io/a@b", "mail support@codat.io or see https://docs.codat.io/a@b")]
    public void User_info_of_any_url_is_dropped_even_without_a_key(string text, string expected)
    {
        Assert.Equal(expected, new SecretRedactor(string.Empty).Redact(text));
        Assert.Equal(expected, new SecretRedactor("some-long-key-123").RedactHeaderValue(text));
    }

    [Fact]
    public void A_server_url_with_user_info_is_refused_and_options_never_show_it()
    {
        var url = new Uri("https://user:s3cret@api.example/");
        var options = new CodatClientOptions { ServerUrl = url, ApiKey = Key };

        Assert.Contains("user name or password", CodatClientOptions.ServerUrlProblem(url));
        var refused = Assert.ThrowsAny<ArgumentException>(() => new CodatFilesClient(options));
        Assert.DoesNotContain("s3cret", refused.ToString());
        Assert.DoesNotContain("s3cret", options.ToString());
        Assert.Contains("https://api.example/", options.ToString());
    }

    [Fact]
    public void A_proxy_url_with_user_info_becomes_the_credential_and_the_address_keeps_none()
    {
        var proxy = CodatProxyOptions.Through(new Uri("http://corp%5Calice:p%40ss%3Aword@proxy.example:3128/"));

        Assert.Equal(new Uri("http://proxy.example:3128/"), proxy.Address);
        Assert.Equal(string.Empty, proxy.Address!.UserInfo);
        Assert.Equal(@"corp\alice", proxy.Credential!.UserName);
        Assert.Equal("p@ss:word", proxy.Credential.Password);
        Assert.Equal("Proxy http://proxy.example:3128/", proxy.ToString());
        Assert.Throws<ArgumentException>(() => CodatProxyOptions.Through(new Uri("http://a:b@proxy.example/"), new NetworkCredential("c", "d")));
        Assert.Throws<ArgumentException>(() => CodatProxyOptions.Through(new Uri("http://a:b@proxy.example/"), useDefaultCredentials: true));
    }

    private static string LowerHex(string encoded) =>
        System.Text.RegularExpressions.Regex.Replace(encoded, "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant());
}
