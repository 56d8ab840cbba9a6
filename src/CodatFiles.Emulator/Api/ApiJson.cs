using System.Text.Encodings.Web;
using System.Text.Json;

namespace CodatFiles.Emulator.Api;

/// <summary>JSON settings of API bodies.</summary>
internal static class ApiJson
{
    /// <summary>
    /// Relaxed escaping keeps file names readable in bodies ("it's", "Café.pdf" rather than \u0027 / \u00E9);
    /// safe here because API bodies are never embedded in HTML.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
