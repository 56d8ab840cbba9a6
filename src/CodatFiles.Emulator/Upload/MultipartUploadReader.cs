using CodatFiles.Emulator.Errors;
using CodatFiles.Emulator.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CodatFiles.Emulator.Upload;

/// <summary>
/// Streams a multipart/form-data upload part by part straight to staging files, checking the limits as bytes
/// arrive. Request.Form is avoided on purpose: it buffers the whole body before anything can be checked.
/// </summary>
internal sealed class MultipartUploadReader
{
    private const int BufferSize = 81920;
    private readonly Func<string> _newStagingPath;

    public MultipartUploadReader(Func<string> newStagingPath) => _newStagingPath = newStagingPath;

    /// <summary>Extracts the boundary, or returns false when the request is not multipart/form-data.</summary>
    public static bool TryGetBoundary(string? contentType, out string boundary)
    {
        boundary = "";
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value ?? "";
        return boundary.Length > 0;
    }

    /// <summary>
    /// Reads every part. Offending parts are drained (not stored) so that all offending files can be reported
    /// in one answer and the client is not cut off mid-send. Throws <see cref="InvalidDataException"/> or
    /// <see cref="IOException"/> for a malformed body.
    /// </summary>
    public async Task<UploadBatch> ReadAsync(Stream body, string boundary, CancellationToken cancellationToken)
    {
        var batch = new UploadBatch();
        try
        {
            var reader = new MultipartReader(boundary, body);
            var buffer = new byte[BufferSize];
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                var kind = ContentDispositionFileName.Read(section.ContentDisposition, out var fileName);
                if (kind == ContentDispositionFileName.PartKind.FormField)
                {
                    await DrainAsync(section.Body, buffer, cancellationToken);
                    continue;
                }

                batch.FilePartCount++;
                var problem = kind == ContentDispositionFileName.PartKind.Unreadable
                    ? Problem(null, "A part has a Content-Disposition header that cannot be read.", UploadRules.FileNameValidator)
                    : await ReadFilePartAsync(section.Body, fileName, batch, buffer, cancellationToken);
                if (problem is not null)
                {
                    batch.Problems.Add(problem);
                }
            }
            return batch;
        }
        catch
        {
            batch.Dispose();
            throw;
        }
    }

    private async Task<CodatValidationItem?> ReadFilePartAsync(Stream partBody, string fileName, UploadBatch batch,
        byte[] buffer, CancellationToken cancellationToken)
    {
        if (batch.FilePartCount > UploadRules.MaxFilesPerRequest)
        {
            await DrainAsync(partBody, buffer, cancellationToken);
            return Problem(fileName,
                $"File '{fileName}' is file number {batch.FilePartCount}; at most {UploadRules.MaxFilesPerRequest} files can be uploaded at a time.",
                UploadRules.FileCountValidator);
        }
        if (fileName.Trim().Length == 0)
        {
            await DrainAsync(partBody, buffer, cancellationToken);
            return Problem(fileName, "A file part has an empty file name.", UploadRules.FileNameValidator);
        }
        if (!UploadRules.HasAllowedExtension(fileName))
        {
            await DrainAsync(partBody, buffer, cancellationToken);
            return Problem(fileName,
                $"File '{fileName}' has a file type that cannot be uploaded; allowed types are {string.Join(", ", UploadRules.AllowedExtensions)}.",
                UploadRules.FileTypeValidator);
        }

        var stagingPath = _newStagingPath();
        long length = 0;
        var tooLarge = false;
        await using (var target = new FileStream(stagingPath, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                         BufferSize, useAsync: true))
        {
            // Registered before the first byte so the batch deletes it even if reading fails halfway.
            batch.Files.Add(new StagedFile(fileName, stagingPath, 0));
            int read;
            while ((read = await partBody.ReadAsync(buffer, cancellationToken)) > 0)
            {
                length += read;
                if (length > UploadRules.MaxFileBytes)
                {
                    tooLarge = true;
                    break; // Stop storing at once; the rest is only counted below.
                }
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }

        batch.Files.RemoveAt(batch.Files.Count - 1);
        if (tooLarge)
        {
            File.Delete(stagingPath);
            length += await DrainAsync(partBody, buffer, cancellationToken);
            return Problem(fileName,
                $"File '{fileName}' is {length} bytes; each file can be up to 10 MB ({UploadRules.MaxFileBytes} bytes).",
                UploadRules.FileSizeValidator);
        }
        batch.Files.Add(new StagedFile(fileName, stagingPath, length));
        return null;
    }

    private static async Task<long> DrainAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
        }
        return total;
    }

    private static CodatValidationItem Problem(string? fileName, string message, string validator) =>
        new(fileName, message, validator);
}
