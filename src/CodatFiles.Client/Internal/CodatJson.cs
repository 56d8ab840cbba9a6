using System.Text.Json;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// The one set of JSON settings: camelCase names like the spec, case-insensitive reading so a server that
    /// varies casing still binds. Kept internal so the public models carry no System.Text.Json attributes.
    /// </summary>
    internal static class CodatJson
    {
        public static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = true,
        };
    }
}
