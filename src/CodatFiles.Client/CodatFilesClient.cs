using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace CodatFiles.Client
{
    /// <summary>
    /// Client of Codat's Files API: list, upload and download. Thread-safe; holds one HttpClient for its options,
    /// so create one per server/key and reuse it. Every method is asynchronous and honours its CancellationToken.
    /// </summary>
    public sealed class CodatFilesClient : IDisposable
    {
        /// <summary>Creates a client that owns its HTTP stack.</summary>
        public CodatFilesClient(CodatClientOptions options)
        {
            throw new NotImplementedException();
        }

        /// <summary>The options the client was created with (the key is never shown by ToString).</summary>
        public CodatClientOptions Options => throw new NotImplementedException();

        /// <summary>GET /companies/{companyId}/files (operation list-files).</summary>
        public Task<IReadOnlyList<CodatFile>> ListFilesAsync(Guid companyId, CodatCallOptions? callOptions = null, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        /// <summary>
        /// POST /companies/{companyId}/connections/{connectionId}/files (operation upload-files): 1 to 20 files
        /// in one multipart request, each streamed from its source.
        /// </summary>
        public Task<CodatUploadResult> UploadFilesAsync(Guid companyId, Guid connectionId, IReadOnlyList<UploadFile> files, CodatCallOptions? callOptions = null, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        /// <summary>
        /// GET /companies/{companyId}/files/download (operation download-files): the zip of the company's files,
        /// only those uploaded on <paramref name="date"/>'s calendar day when given, copied to
        /// <paramref name="destination"/> as it arrives. A retry after a partial body needs a seekable destination
        /// (it is truncated back to its starting position); otherwise the failure is reported instead.
        /// </summary>
        public Task<CodatDownloadResult> DownloadFilesAsync(Guid companyId, DateTime? date, Stream destination, CodatCallOptions? callOptions = null, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        /// <summary>
        /// Downloads the zip to <paramref name="path"/>: written to a temporary file beside it and moved into place
        /// only when complete, so a failure or cancellation leaves no partial file. Overwrites an existing file.
        /// </summary>
        public Task<CodatDownloadResult> DownloadFilesToFileAsync(Guid companyId, DateTime? date, string path, CodatCallOptions? callOptions = null, CancellationToken cancellationToken = default)
            => throw new NotImplementedException();

        /// <inheritdoc />
        public void Dispose()
        {
        }
    }
}
