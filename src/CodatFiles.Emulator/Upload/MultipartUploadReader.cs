using CodatFiles.Emulator.Errors;
using CodatFiles.Emulator.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CodatFiles.Emulator.Upload;

/// <summary>
/// Streams a multipart/form-data upload part by part straight to the request's staging pack file (see
/// <see cref="UploadBatch"/>), checking the limits as bytes arrive. Request.Form is avoided on purpose: it buffers the whole body before anything can be checked.
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
    /// in one answer and the client is not cut off mid-send. Throws <see cref="MalformedUploadException"/> for a
    /// body that cannot be split into parts; failures of the connection itself are left as they are.
    /// </summary>
    public async Task<UploadBatch> ReadAsync(Stream body, string boundary, CancellationToken cancellationToken)
    {
        var batch = new UploadBatch();
        FileStream? pack = null;
        try
        {
            var reader = new MultipartReader(boundary, body);
            var buffer = new byte[BufferSize];
            // Counts every part, form fields included, so "part #N" is what someone reading the body would count.
            var partNumber = 0;
            while (await ReadNextPartAsync(reader, partNumber + 1, boundary, cancellationToken) is { } section)
            {
                partNumber++;
                try
                {
                    pack = await ReadPartAsync(section, partNumber, batch, pack, buffer, cancellationToken);
                }
                catch (EndOfStreamException exception)
                {
                    throw new MalformedUploadException(
                        $"part #{partNumber} is not followed by a boundary line ('--{boundary}', or '--{boundary}--' after the last part).",
                        exception);
                }
            }
            if (pack is not null) await pack.DisposeAsync();
            return batch;
        }
        catch
        {
            if (pack is not null) await pack.DisposeAsync();
            batch.Dispose();
            throw;
        }
    }

    private static async Task<MultipartSection?> ReadNextPartAsync(MultipartReader reader, int partNumber, string boundary,
        CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (IOException exception) when (IsCutShort(exception))
        {
            throw new MalformedUploadException(partNumber == 1
                ? $"it contains no boundary line '--{boundary}', so no part can be found."
                : $"it ends before part #{partNumber} is complete.", exception);
        }
        catch (InvalidDataException exception)
        {
            throw new MalformedUploadException(
                $"the headers of part #{partNumber} cannot be read; each must be a 'Name: value' line ending in CRLF, " +
                $"at most {reader.HeadersCountLimit} lines and {reader.HeadersLengthLimit} bytes in all.", exception);
        }
    }

    /// <summary>
    /// MultipartReader reports a body that ends too early as a plain <see cref="IOException"/>; Kestrel's own
    /// failures (a reset connection, a body over the size cap) are subclasses and must keep their meaning.
    /// </summary>
    private static bool IsCutShort(IOException exception) => exception.GetType() == typeof(IOException);

    /// <summary>
    /// Every read of a part's body goes through here, so that a body cut short is told apart from a failing
    /// write to staging (also a plain <see cref="IOException"/>) by its type.
    /// </summary>
    private static async ValueTask<int> ReadPartBodyAsync(Stream partBody, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await partBody.ReadAsync(buffer, cancellationToken);
        }
        catch (IOException exception) when (IsCutShort(exception))
        {
            throw new EndOfStreamException(exception.Message, exception);
        }
    }

    /// <summary>Reads one part; returns the request's pack, opened here at the first accepted file part.</summary>
    private async Task<FileStream?> ReadPartAsync(MultipartSection section, int partNumber, UploadBatch batch, FileStream? pack,
        byte[] buffer, CancellationToken cancellationToken)
    {
        var kind = ContentDispositionFileName.Read(section.ContentDisposition, out var fileName);
        if (kind == ContentDispositionFileName.PartKind.FormField)
        {
            await DrainAsync(section.Body, buffer, cancellationToken);
            return pack;
        }

        batch.FilePartCount++;
        CodatValidationItem? problem;
        if (kind == ContentDispositionFileName.PartKind.Unreadable)
        {
            // No file name to report it by, so the part's position has to identify it.
            await DrainAsync(section.Body, buffer, cancellationToken);
            problem = Problem(null, $"Part #{partNumber} has a Content-Disposition header that cannot be read.",
                UploadRules.FileNameValidator);
        }
        else
        {
            (problem, pack) = await ReadFilePartAsync(section.Body, fileName, batch, pack, buffer, cancellationToken);
        }
        if (problem is not null)
        {
            batch.Problems.Add(problem);
        }
        return pack;
    }

    private async Task<(CodatValidationItem? Problem, FileStream? Pack)> ReadFilePartAsync(Stream partBody, string fileName,
        UploadBatch batch, FileStream? pack, byte[] buffer, CancellationToken cancellationToken)
    {
        if (batch.FilePartCount > UploadRules.MaxFilesPerRequest)
        {
            await DrainAsync(partBody, buffer, cancellationToken);
            return (Problem(fileName,
                $"File '{fileName}' is file number {batch.FilePartCount}; at most {UploadRules.MaxFilesPerRequest} files can be uploaded at a time.",
                UploadRules.FileCountValidator), pack);
        }
        if (fileName.Trim().Length == 0)
        {
            await DrainAsync(partBody, buffer, cancellationToken);
            return (Problem(fileName, "A file part has an empty file name.", UploadRules.FileNameValidator), pack);
        }
        if (!UploadRules.HasAllowedExtension(fileName))
        {
            await DrainAsync(partBody, buffer, cancellationToken);
            return (Problem(fileName,
                $"File '{fileName}' has a file type that cannot be uploaded; allowed types are {string.Join(", ", UploadRules.AllowedExtensions)}.",
                UploadRules.FileTypeValidator), pack);
        }

        if (pack is null)
        {
            // Registered before the first byte so the batch deletes it even if reading fails halfway.
            batch.PackPath = _newStagingPath();
            pack = new FileStream(batch.PackPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        }

        var offset = pack.Position;
        long length = 0;
        var tooLarge = false;
        int read;
        while ((read = await ReadPartBodyAsync(partBody, buffer, cancellationToken)) > 0)
        {
            length += read;
            if (length > UploadRules.MaxFileBytes)
            {
                tooLarge = true;
                break; // Stop storing at once; the rest is only counted below.
            }
            await pack.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        if (tooLarge)
        {
            // Back to where the part began: the next accepted part overwrites what this one left.
            await pack.FlushAsync(cancellationToken);
            pack.SetLength(offset);
            pack.Position = offset;
            length += await DrainAsync(partBody, buffer, cancellationToken);
            return (Problem(fileName,
                $"File '{fileName}' is {length} bytes; each file can be up to 10 MB ({UploadRules.MaxFileBytes} bytes).",
                UploadRules.FileSizeValidator), pack);
        }
        batch.Files.Add(new StagedFile(fileName, offset, length));
        return (null, pack);
    }

    private static async Task<long> DrainAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        long total = 0;
        int read;
        while ((read = await ReadPartBodyAsync(stream, buffer, cancellationToken)) > 0)
        {
            total += read;
        }
        return total;
    }

    private static CodatValidationItem Problem(string? fileName, string message, string validator) =>
        new(fileName, message, validator);
}
