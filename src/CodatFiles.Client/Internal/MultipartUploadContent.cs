using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// multipart/form-data body that streams each file from its source while sending. MultipartFormDataContent
    /// would need each file as a ready HttpContent and writes filename* in a form some parsers mis-read; here
    /// each part's headers are written by hand (see <see cref="FileNameEncoding"/>) and each source is opened
    /// only when its turn comes, copied in chunks, then disposed. One instance serves one attempt.
    /// </summary>
    internal sealed class MultipartUploadContent : HttpContent
    {
        /// <summary>The spec's field name for the file part (the generated SDKs send "fileName" instead).</summary>
        public const string FieldName = "file";

        private static readonly Encoding HeaderEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        private readonly IReadOnlyList<UploadFile> _files;
        private readonly byte[][] _partHeaders;
        private readonly byte[] _partTrailer;
        private readonly byte[] _closingBoundary;
        private readonly long? _totalFileBytes;
        private readonly Action<long, long?>? _onProgress;
        private readonly CancellationToken _cancellationToken;

        /// <param name="files">The files, in order.</param>
        /// <param name="onProgress">Told the file bytes sent so far and the total when known.</param>
        /// <param name="cancellationToken">
        /// The attempt's token: netstandard2.0's SerializeToStreamAsync has no token parameter.
        /// </param>
        public MultipartUploadContent(IReadOnlyList<UploadFile> files, Action<long, long?>? onProgress, CancellationToken cancellationToken)
        {
            _files = files;
            _onProgress = onProgress;
            _cancellationToken = cancellationToken;

            var boundary = "codatfiles-" + Guid.NewGuid().ToString("N");
            Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data");
            Headers.ContentType.Parameters.Add(new NameValueHeaderValue("boundary", boundary));

            _partHeaders = new byte[files.Count][];
            long total = 0;
            var allLengthsKnown = true;
            for (var i = 0; i < files.Count; i++)
            {
                var file = files[i];
                _partHeaders[i] = HeaderEncoding.GetBytes(
                    $"--{boundary}\r\n" +
                    $"Content-Disposition: form-data; name=\"{FieldName}\"; {FileNameEncoding.DispositionParameters(file.FileName)}\r\n" +
                    $"Content-Type: {CodatFileTypes.ContentTypeOf(file.FileName)}\r\n" +
                    "\r\n");
                if (file.Length is long length) total += length;
                else allLengthsKnown = false;
            }

            _partTrailer = HeaderEncoding.GetBytes("\r\n");
            _closingBoundary = HeaderEncoding.GetBytes($"--{boundary}--\r\n");
            _totalFileBytes = allLengthsKnown ? total : (long?)null;
        }

        /// <summary>
        /// True once the whole body has been handed to the connection: a failure after that, with no answer, leaves
        /// open whether the server stored the files.
        /// </summary>
        public bool BodySent { get; private set; }

        /// <summary>File bytes (not multipart framing) sent so far in this attempt.</summary>
        public long FileBytesSent { get; private set; }

        /// <summary>Sum of the file lengths when every one is known.</summary>
        public long? TotalFileBytes => _totalFileBytes;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            FileBytesSent = 0;
            _onProgress?.Invoke(0, _totalFileBytes);
            for (var i = 0; i < _files.Count; i++)
            {
                var file = _files[i];
                await stream.WriteAsync(_partHeaders[i], 0, _partHeaders[i].Length, _cancellationToken).ConfigureAwait(false);

                var sentBeforeFile = FileBytesSent;
                using (var source = OpenSource(file))
                {
                    long copied;
                    try
                    {
                        copied = await ProgressCopier.CopyAsync(source, stream, fileBytes =>
                        {
                            FileBytesSent = sentBeforeFile + fileBytes;
                            _onProgress?.Invoke(FileBytesSent, _totalFileBytes);
                        }, sourceIsLocal: true, destinationIsLocal: false, _cancellationToken, stopAfter: file.Length).ConfigureAwait(false);
                    }
                    catch (LocalStreamException unreadable)
                    {
                        throw LocalStreamException.OfSource(file, unreadable, changed: false);
                    }

                    // Content-Length was computed from the declared lengths: a file that changed size since would
                    // corrupt the body, and one whose write time moved was rewritten while it was read. Either way
                    // the bytes are not the file that was checked, so the request is cut off here, before its end,
                    // and Codat stores none of it.
                    if (file.Length is long declared && declared != copied)
                    {
                        var now = copied > declared ? $"more than {declared:N0} bytes" : $"{copied:N0} bytes";
                        throw LocalStreamException.OfSource(file, new IOException(
                            $"'{file.FileName}' was {declared:N0} bytes when it was checked, but {now} were read while it was sent: it changed while uploading."), changed: true);
                    }

                    if (file.ChangeSinceChecked() is string change)
                    {
                        throw LocalStreamException.OfSource(file, new IOException(
                            $"'{file.FileName}' {change}: it changed while uploading."), changed: true);
                    }
                }

                await stream.WriteAsync(_partTrailer, 0, _partTrailer.Length, _cancellationToken).ConfigureAwait(false);
            }

            await stream.WriteAsync(_closingBoundary, 0, _closingBoundary.Length, _cancellationToken).ConfigureAwait(false);
            BodySent = true;
        }

        /// <summary>Known when every file's length is known, so the request needs no chunked encoding.</summary>
        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            if (_totalFileBytes is null) return false;
            foreach (var header in _partHeaders) length += header.Length + _partTrailer.Length;
            length += _totalFileBytes.Value + _closingBoundary.Length;
            return true;
        }

        private static Stream OpenSource(UploadFile file)
        {
            Stream? source;
            try
            {
                source = file.OpenRead();
            }
            catch (Exception ex)
            {
                throw LocalStreamException.OfSource(file, ex, changed: false);
            }

            return source ?? throw LocalStreamException.OfSource(file,
                new InvalidOperationException($"The source of '{file.FileName}' returned no stream."), changed: false);
        }
    }
}
