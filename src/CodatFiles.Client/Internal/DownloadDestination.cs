using System;
using System.IO;
using System.Threading.Tasks;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// The caller's stream that a download writes to, across its attempts: where the zip starts in it, and whether
    /// an attempt has already written part of a body there. A retry after a partial body truncates a seekable stream
    /// back to that start; a stream that cannot seek back allows no retry once written to.
    /// </summary>
    internal sealed class DownloadDestination
    {
        private readonly long _start;
        private bool _written;

        public DownloadDestination(Stream stream)
        {
            Stream = stream;
            _start = stream.CanSeek ? stream.Position : 0;
        }

        public Stream Stream { get; }

        /// <summary>Undoes the partial body of a failed attempt, so that the retry writes the zip from its start.</summary>
        public void UndoPartialBody()
        {
            if (_written && Stream.CanSeek)
            {
                Stream.SetLength(_start);
                Stream.Position = _start;
                _written = false;
            }
        }

        /// <summary>
        /// Writes the checked first bytes of the zip. A failure of the stream itself is marked local, so that it is
        /// reported as the caller's and never retried as a network failure.
        /// </summary>
        public async Task WriteHeadAsync(byte[] head, int count, AttemptContext attempt)
        {
            try
            {
                await Stream.WriteAsync(head, 0, count, attempt.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                throw new LocalStreamException(ex);
            }

            MarkWritten(attempt);
        }

        private void MarkWritten(AttemptContext attempt)
        {
            if (_written) return;
            _written = true;
            if (!Stream.CanSeek)
            {
                attempt.BlockRetries(
                    "not retried because part of the body was already written to a destination stream that cannot seek back");
            }
        }
    }
}
