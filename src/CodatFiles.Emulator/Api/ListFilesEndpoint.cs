using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CodatFiles.Emulator.Storage;

namespace CodatFiles.Emulator.Api;

/// <summary>GET /companies/{companyId}/files (list-files): the spec's File objects, in upload order.</summary>
internal sealed class ListFilesEndpoint(FileStore store)
{
    public async Task HandleAsync(HttpContext context, ApiTarget target)
    {
        var items = store.List(target.CompanyId).Select(FileListItem.From).ToArray();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, items, ApiJson.Options, context.RequestAborted);
    }

    /// <summary>The spec's File schema (additionalProperties: false), so exactly these four properties.</summary>
    internal sealed record FileListItem(
        [property: JsonPropertyName("fileName")] string FileName,
        [property: JsonPropertyName("displayName")] string DisplayName,
        [property: JsonPropertyName("sourceType")] string SourceType,
        [property: JsonPropertyName("uploaded")] string Uploaded)
    {
        public static FileListItem From(StoredFile file) => new(
            file.FileName,
            file.FileName, // Uploads carry no separate display name, so Codat's is taken to be the file name.
            file.SourceType,
            file.Uploaded.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }
}
