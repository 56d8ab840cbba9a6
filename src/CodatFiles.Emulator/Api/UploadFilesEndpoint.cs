using CodatFiles.Emulator.Control;
using CodatFiles.Emulator.Errors;
using CodatFiles.Emulator.Faults;
using CodatFiles.Emulator.Storage;
using CodatFiles.Emulator.Upload;

namespace CodatFiles.Emulator.Api;

/// <summary>
/// POST /companies/{companyId}/connections/{connectionId}/files (upload-files). All or nothing: the request's
/// files are stored only when every one of them passes, otherwise one 400 lists each offending file.
/// </summary>
internal sealed class UploadFilesEndpoint(FileStore store, EmulatorClock clock, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context, ApiTarget target)
    {
        if (!MultipartUploadReader.TryGetBoundary(context.Request.ContentType, out var boundary))
        {
            await CodatErrors.WriteAsync(context, StatusCodes.Status400BadRequest,
                "The request body must be multipart/form-data with 1 to 20 file parts.");
            return;
        }

        UploadBatch batch;
        try
        {
            batch = await new MultipartUploadReader(store.NewStagingPath)
                .ReadAsync(context.Request.Body, boundary, context.RequestAborted);
        }
        catch (BadHttpRequestException exception)
        {
            // Kestrel's own limits, e.g. a body above the upload-sized cap.
            await CodatErrors.WriteAsync(context, StatusCodes.Status400BadRequest,
                $"The request body was rejected: {exception.Message}");
            return;
        }
        catch (MalformedUploadException exception)
        {
            await CodatErrors.WriteAsync(context, StatusCodes.Status400BadRequest, exception.Message);
            return;
        }

        using (batch)
        {
            if (batch.FilePartCount == 0)
            {
                await RejectAsync(context, [new CodatValidationItem(null,
                    "The request contains no file; send 1 to 20 files as multipart/form-data parts with a file name.",
                    UploadRules.FileCountValidator)]);
                return;
            }
            if (batch.Problems.Count > 0)
            {
                await RejectAsync(context, batch.Problems);
                return;
            }

            // Not cancellable: once the body has been read, the upload is either stored whole or not at all.
            await LateCommit.WaitAsync(context, time);
            await store.CommitAsync(target.CompanyId, target.ConnectionId!.Value, target.Integration, clock.UtcNow,
                batch.PackPath!, batch.Files, CancellationToken.None);
        }
        context.Response.StatusCode = StatusCodes.Status200OK; // The spec defines no body for success.
        context.Response.ContentLength = 0;
    }

    private static Task RejectAsync(HttpContext context, IReadOnlyList<CodatValidationItem> problems) =>
        CodatErrors.WriteAsync(context, StatusCodes.Status400BadRequest,
            "Upload rejected, no file was stored. " + string.Join(" ", problems.Select(p => p.Message)),
            validation: new CodatValidation(problems, []),
            canBeRetried: "False");
}
