using CodatFiles.Emulator.Download;
using CodatFiles.Emulator.Errors;
using CodatFiles.Emulator.Storage;

namespace CodatFiles.Emulator.Api;

/// <summary>
/// GET /companies/{companyId}/files/download[?date=] (download-files): a zip of the company's files, optionally
/// only those uploaded on one UTC day, always as application/octet-stream whatever the client's Accept says.
/// </summary>
internal sealed class DownloadFilesEndpoint(FileStore store, ArchiveLayout layout)
{
    public async Task HandleAsync(HttpContext context, ApiTarget target)
    {
        string? rawDate = context.Request.Query.TryGetValue("date", out var values) ? values.ToString() : null;
        if (!DownloadDateFilter.TryParse(rawDate, out var day))
        {
            await CodatErrors.WriteAsync(context, StatusCodes.Status400BadRequest,
                $"The date '{rawDate}' is not valid; use yyyy-MM-dd or an ISO 8601 date and time.");
            return;
        }

        var files = store.List(target.CompanyId).Where(f => DownloadDateFilter.Matches(day, f.Uploaded)).ToArray();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers.ContentDisposition = "attachment; filename=\"files.zip\"";
        await new ZipDownloadWriter(store, layout.Current).WriteAsync(context.Response, files, context.RequestAborted);
    }
}
