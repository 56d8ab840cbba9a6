using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CodatFiles.Client.Internal;

namespace CodatFiles.Client
{
    /// <summary>The download-files operation: the company's zip, into a stream or a file moved into place.</summary>
    public sealed partial class CodatFilesClient
    {
        /// <summary>
        /// GET /companies/{companyId}/files/download (operation download-files): the zip of the company's files,
        /// only those uploaded on <paramref name="date"/>'s calendar day when given, copied to
        /// <paramref name="destination"/> as it arrives. A retry after a partial body needs a seekable destination
        /// (it is truncated back to its starting position); otherwise the failure is reported instead.
        /// </summary>
        /// <remarks>
        /// The date is sent as yyyy-MM-dd of the given value as written, with no time-zone conversion. A 2xx whose
        /// body does not start as a zip (an HTML page served as a file, JSON, text, or an empty body: Codat sends
        /// an empty zip for a company without files) throws a <see cref="CodatApiException"/> before anything is
        /// written to <paramref name="destination"/>, and is not retried.
        /// </remarks>
        public async Task<CodatDownloadResult> DownloadFilesAsync(Guid companyId, DateTime? date, Stream destination, CodatCallOptions? callOptions = null, CancellationToken cancellationToken = default)
        {
            ThrowIfDisposed();
            if (destination is null) throw new ArgumentNullException(nameof(destination));
            if (!destination.CanWrite) throw new ArgumentException("The destination stream must be writable.", nameof(destination));

            var operation = new CodatOperation(CodatOperation.DownloadFiles, companyId);
            var uri = _uris.DownloadFiles(companyId, date);
            var target = new DownloadDestination(destination);
            var (result, attempts) = await _runner.RunAsync<DownloadAttemptValue>(operation, EffectiveRetry(callOptions), callOptions,
                attempt => DownloadAttemptAsync(operation, uri, target, attempt), cancellationToken).ConfigureAwait(false);

            return new CodatDownloadResult(result.Bytes, attempts, result.ContentType);
        }

        /// <summary>One attempt of a download: request the zip, then copy its body to the destination.</summary>
        private async Task<AttemptResult<DownloadAttemptValue>> DownloadAttemptAsync(CodatOperation operation, Uri uri, DownloadDestination target, AttemptContext attempt)
        {
            target.UndoPartialBody();
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.ParseAdd(ZipOrError);
            using var response = await _sender.SendAsync(request, attempt).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return AttemptResult<DownloadAttemptValue>.Failed(
                    await _errorReader.ReadAsync(response, attempt.CancellationToken).ConfigureAwait(false));
            }

            _html.ThrowIfHtmlType(operation, response, attempt.Attempt);
            var copied = await CopyZipBodyAsync(operation, response, target, attempt).ConfigureAwait(false);
            await target.Stream.FlushAsync(attempt.CancellationToken).ConfigureAwait(false);
            return AttemptResult<DownloadAttemptValue>.Success(new DownloadAttemptValue(copied, _redactor.RedactHeaderValue(response.Content.Headers.ContentType?.ToString())));
        }

        /// <summary>
        /// Copies a 2xx answer's body to the destination, with progress, and returns its length. A Codat download is
        /// always a zip: its start is checked before a byte of the body is written.
        /// </summary>
        private async Task<long> CopyZipBodyAsync(CodatOperation operation, HttpResponseMessage response, DownloadDestination target, AttemptContext attempt)
        {
            var total = response.Content.Headers.ContentLength;
            attempt.ReportProgress(0, total);
            using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            // Older handlers ignore the token in ReadAsync; disposing the response unblocks the read on cancel.
            using var unblock = attempt.CancellationToken.Register(() => response.Dispose());

            var head = new byte[HtmlAnswerGuard.DownloadHeadBytes];
            var headCount = await StreamHead.ReadAsync(body, head, attempt.CancellationToken).ConfigureAwait(false);
            if (headCount < head.Length && total is long announced && headCount != announced)
            {
                throw new IOException($"the response ended after {headCount:N0} of {announced:N0} bytes");
            }

            _html.ThrowIfNotZip(operation, response, attempt.Attempt, head, headCount);
            await target.WriteHeadAsync(head, headCount, attempt).ConfigureAwait(false);
            attempt.ReportProgress(headCount, total);
            var copied = headCount + await ProgressCopier.CopyAsync(body, target.Stream, bytes =>
            {
                attempt.ReportProgress(headCount + bytes, total);
            }, sourceIsLocal: false, destinationIsLocal: true, attempt.CancellationToken).ConfigureAwait(false);

            if (total is long expected && copied != expected)
            {
                throw new IOException($"the response ended after {copied:N0} of {expected:N0} bytes");
            }

            return copied;
        }

        /// <summary>
        /// Downloads the zip to <paramref name="path"/>: written to a temporary file beside it and moved into place
        /// only when complete, so a failure or cancellation leaves no partial file. Overwrites an existing file.
        /// </summary>
        public async Task<CodatDownloadResult> DownloadFilesToFileAsync(Guid companyId, DateTime? date, string path, CodatCallOptions? callOptions = null, CancellationToken cancellationToken = default)
        {
            ThrowIfDisposed();
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("A destination path is required.", nameof(path));

            var fullPath = Path.GetFullPath(path);
            // Same folder as the target, so the final move is a rename on one volume, never a copy.
            var tempPath = PartialFileName.Beside(fullPath);
            var moved = false;
            try
            {
                CodatDownloadResult result;
                using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, useAsync: true))
                {
                    result = await DownloadFilesAsync(companyId, date, stream, callOptions, cancellationToken).ConfigureAwait(false);
                }

                cancellationToken.ThrowIfCancellationRequested();
                ReplaceFile(tempPath, fullPath);
                moved = true;
                return result;
            }
            finally
            {
                if (!moved) TryDelete(tempPath);
            }
        }

        private sealed class DownloadAttemptValue
        {
            public DownloadAttemptValue(long bytes, string? contentType)
            {
                Bytes = bytes;
                ContentType = contentType;
            }

            public long Bytes { get; }

            public string? ContentType { get; }
        }

        private static void ReplaceFile(string source, string destination)
        {
            // netstandard2.0 has no File.Move(overwrite); File.Replace swaps atomically where the OS can.
            if (File.Exists(destination)) File.Replace(source, destination, destinationBackupFileName: null, ignoreMetadataErrors: true);
            else File.Move(source, destination);
        }

        private static void TryDelete(string path)
        {
            try
            {
                if (File.Exists(path)) File.Delete(path);
            }
            catch (IOException)
            {
                // Best effort: the original failure matters more than a leftover temp file.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
