using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CodatFiles.Emulator.Tests.Support;

internal static class CodatErrorAssert
{
    /// <summary>Checks status, JSON content type and the common error fields; returns the body for further checks.</summary>
    public static async Task<JsonElement> HasCodatErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, body.GetProperty("statusCode").GetInt32());
        Assert.Matches("^[0-9a-f]{32}$", body.GetProperty("correlationId").GetString());
        Assert.Equal(0, body.GetProperty("detailedErrorCode").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error").GetString()));
        SpecSchemas.AssertConforms(body, SpecSchemas.ErrorMessage);
        return body;
    }
}
