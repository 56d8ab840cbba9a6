using System.Text.Json;

namespace CodatFiles.Emulator.Tests.Support;

/// <summary>
/// Schemas read from the repository's copy of Codat's OpenAPI document (spec/) at test time, so the emulator is
/// checked against the spec itself rather than against hand-written expectations. SpecCopyTests keeps the copy honest.
/// </summary>
internal static class SpecSchemas
{
    private static readonly Lazy<JsonElement> s_spec = new(() =>
        JsonDocument.Parse(File.ReadAllText(SpecPath)).RootElement);

    /// <summary>The repository root: the folder holding CodatFiles.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CodatFiles.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("CodatFiles.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The in-repo copy, so a fresh clone can run the tests.</summary>
    public static string SpecPath => Path.Combine(RepositoryRoot, "spec", "codat-files-openapi.json");

    /// <summary>Where the copy came from: ../shared beside the repository, present only in the original workspace.</summary>
    public static string SharedSpecPath => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "codat-files-openapi.json"));

    public static JsonElement Document => s_spec.Value;

    /// <summary>The items of list-files' 200 response (the spec's File).</summary>
    public static JsonElement File_ => Resolve(Resolve(Operation("/companies/{companyId}/files", "get")
        .GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json")
        .GetProperty("schema")).GetProperty("items"));

    /// <summary>The error body, reached the way a client would: through list-files' 404 response.</summary>
    public static JsonElement ErrorMessage => Resolve(Resolve(Operation("/companies/{companyId}/files", "get")
        .GetProperty("responses").GetProperty("404")).GetProperty("content").GetProperty("application/json")
        .GetProperty("schema"));

    public static JsonElement Operation(string path, string method) =>
        s_spec.Value.GetProperty("paths").GetProperty(path).GetProperty(method);

    /// <summary>Follows a local <c>$ref</c> (JSON pointer), repeatedly; returns other elements as they are.</summary>
    public static JsonElement Resolve(JsonElement element)
    {
        while (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out var reference))
        {
            var pointer = reference.GetString()!;
            Assert.StartsWith("#/", pointer);
            element = s_spec.Value;
            foreach (var token in pointer[2..].Split('/'))
            {
                element = element.GetProperty(token.Replace("~1", "/").Replace("~0", "~"));
            }
        }
        return element;
    }

    /// <summary>
    /// Asserts the value has the schema's JSON type, that objects carry no property the schema does not declare,
    /// and recurses into properties and array items. Null is accepted only where the schema says nullable.
    /// </summary>
    public static void AssertConforms(JsonElement value, JsonElement schema, string where = "$")
    {
        schema = Resolve(schema);
        if (value.ValueKind == JsonValueKind.Null)
        {
            Assert.True(schema.TryGetProperty("nullable", out var nullable) && nullable.GetBoolean(),
                $"{where} is null but the spec does not mark it nullable");
            return;
        }
        var type = schema.GetProperty("type").GetString();
        switch (type)
        {
            case "object":
                Assert.True(value.ValueKind == JsonValueKind.Object, $"{where} should be an object, is {value.ValueKind}");
                var properties = schema.GetProperty("properties");
                foreach (var property in value.EnumerateObject())
                {
                    Assert.True(properties.TryGetProperty(property.Name, out var propertySchema),
                        $"{where}.{property.Name} is not a property of the spec's schema");
                    AssertConforms(property.Value, propertySchema, $"{where}.{property.Name}");
                }
                break;
            case "array":
                Assert.True(value.ValueKind == JsonValueKind.Array, $"{where} should be an array, is {value.ValueKind}");
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    AssertConforms(item, schema.GetProperty("items"), $"{where}[{index++}]");
                }
                break;
            case "string":
                Assert.True(value.ValueKind == JsonValueKind.String, $"{where} should be a string, is {value.ValueKind}");
                break;
            case "integer":
                Assert.True(value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
                    $"{where} should be an integer, is {value}");
                break;
            default:
                Assert.Fail($"{where}: schema type '{type}' is not handled by this check");
                break;
        }
    }

    /// <summary>The names the schema declares, for "every property is present" checks.</summary>
    public static IReadOnlyList<string> PropertyNames(JsonElement schema) =>
        Resolve(schema).GetProperty("properties").EnumerateObject().Select(p => p.Name).ToArray();
}
