using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CodatFiles.Emulator.Storage;

namespace CodatFiles.Emulator.Api;

/// <summary>
/// GET /companies/{companyId}/files (list-files): the spec's File objects, in upload order, then any synthetic
/// entries (<see cref="SyntheticLists"/>). Written entry by entry and flushed as it goes, so a long list reaches the
/// client while it is still being written.
/// </summary>
internal sealed class ListFilesEndpoint(FileStore store, SyntheticLists synthetic)
{
    private const int FlushThreshold = 32 * 1024;

    public async Task HandleAsync(HttpContext context, ApiTarget target)
    {
        var stored = store.List(target.CompanyId).Select(FileListItem.From).ToArray();
        var extra = synthetic.Of(target.CompanyId);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";

        var body = new BodyWriter(context);
        body.Json.WriteStartArray();
        foreach (var item in stored) await body.WriteAsync(item);
        if (extra != null && !await WriteSyntheticAsync(context, body, extra)) return;
        body.Json.WriteEndArray();
        await body.FlushAsync();
    }

    /// <summary>The synthetic entries; false when the answer was cut off as the list asked.</summary>
    private static async Task<bool> WriteSyntheticAsync(HttpContext context, BodyWriter body, SyntheticList list)
    {
        var abortAfter = list.TakeAbortAfter();
        var uploaded = Format(list.Uploaded);
        for (var i = 0; i < list.Count; i++)
        {
            if (i == abortAfter)
            {
                await body.FlushAsync();
                context.Abort();
                return false;
            }
            var name = list.NameOf(i);
            await body.WriteAsync(new FileListItem(name, name, "Accounting", uploaded));
        }
        return true;
    }

    /// <summary>
    /// JSON written into the response's pipe (never synchronous I/O, which Kestrel refuses) and sent on every
    /// <see cref="FlushThreshold"/> bytes.
    /// </summary>
    private sealed class BodyWriter(HttpContext context)
    {
        private long _flushedAt;

        public Utf8JsonWriter Json { get; } = new(context.Response.BodyWriter, new JsonWriterOptions { Encoder = ApiJson.Options.Encoder });

        public async Task WriteAsync(FileListItem item)
        {
            JsonSerializer.Serialize(Json, item, ApiJson.Options);
            if (Json.BytesCommitted - _flushedAt >= FlushThreshold) await FlushAsync();
        }

        public async Task FlushAsync()
        {
            Json.Flush();
            _flushedAt = Json.BytesCommitted;
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
        }
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

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
            Format(file.Uploaded));
    }
}
