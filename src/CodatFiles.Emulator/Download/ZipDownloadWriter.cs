using System.IO.Compression;
using CodatFiles.Emulator.Storage;

namespace CodatFiles.Emulator.Download;

/// <summary>
/// Builds the download zip in a temporary file and streams that file to the response. Not straight into the
/// response: even with .NET 10's async zip API, closing an entry flushes its deflate stream synchronously, which
/// Kestrel forbids (and on a non-seekable stream the archive came out corrupt). A file also lets the answer carry
/// a Content-Length, and the zip never sits in memory.
/// </summary>
internal sealed class ZipDownloadWriter(FileStore store, ArchiveLayout.Settings layout)
{
    private const int BufferSize = 81920;

    public async Task WriteAsync(HttpResponse response, IEnumerable<StoredFile> files, CancellationToken cancellationToken)
    {
        await using var zipFile = new FileStream(store.NewStagingPath(), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, BufferSize, FileOptions.Asynchronous | FileOptions.DeleteOnClose);

        await WriteZipAsync(zipFile, files, cancellationToken);

        zipFile.Position = 0;
        response.ContentLength = zipFile.Length;
        await zipFile.CopyToAsync(response.Body, BufferSize, cancellationToken);
    }

    private async Task WriteZipAsync(Stream destination, IEnumerable<StoredFile> files, CancellationToken cancellationToken)
    {
        var namer = new ZipEntryNamer(layout);
        await using var archive = await ZipArchive.CreateAsync(destination, ZipArchiveMode.Create, leaveOpen: true,
            entryNameEncoding: null, cancellationToken);
        foreach (var file in files)
        {
            var entry = archive.CreateEntry(namer.NameFor(file.SourceType, file.FileName), EntryCompression.For(file.FileName));
            if (file.Uploaded.Year is >= 1980 and <= 2107) // the range a zip timestamp can hold
            {
                entry.LastWriteTime = file.Uploaded;
            }
            await using var entryStream = await entry.OpenAsync(cancellationToken);
            await using var content = store.OpenRead(file);
            await content.CopyToAsync(entryStream, cancellationToken);
        }
    }
}
