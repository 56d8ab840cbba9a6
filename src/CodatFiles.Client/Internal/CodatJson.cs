using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// The one set of JSON settings: camelCase names like the spec, case-insensitive reading so a server that
    /// varies casing still binds. Kept internal so the public models carry no System.Text.Json attributes.
    /// </summary>
    internal static class CodatJson
    {
        /// <summary>Options whose only type information is <see cref="CodatJsonContext"/>'s, so no reflection is used.</summary>
        public static JsonSerializerOptions Options => CodatJsonContext.Default.Options;
    }

    /// <summary>
    /// Metadata for the types the client reads, generated at build time: reflection-based metadata made a fresh
    /// process's first list call pay for inspecting the types and emitting member accessors; generated metadata
    /// is plain code with neither.
    /// </summary>
    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
    [JsonSerializable(typeof(List<CodatFile>))]
    [JsonSerializable(typeof(CodatError))]
    internal sealed partial class CodatJsonContext : JsonSerializerContext
    {
    }
}
