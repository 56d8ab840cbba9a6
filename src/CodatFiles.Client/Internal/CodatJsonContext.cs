using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// The one set of JSON settings, and the metadata of the types the client reads: camelCase names like the spec,
    /// case-insensitive reading so a server that varies casing still binds. Kept internal so the public models carry
    /// no System.Text.Json attributes. The metadata is generated at build time: reflection-based metadata made a
    /// fresh process's first list call pay for inspecting the types and emitting member accessors; generated
    /// metadata is plain code with neither.
    /// </summary>
    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
    [JsonSerializable(typeof(List<CodatFile>))]
    [JsonSerializable(typeof(CodatError))]
    internal sealed partial class CodatJsonContext : JsonSerializerContext
    {
    }
}
