using System;
using System.Buffers;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Copies a stream in fixed chunks, telling the caller after each chunk, so a transfer never holds more than
    /// one buffer in memory and progress moves as bytes move. Read and write failures are told apart because a
    /// local write failure (disk full) must not be retried like a network read failure.
    /// </summary>
    internal static class ProgressCopier
    {
        private const int ChunkSize = 81920;

        /// <param name="source">Stream read from.</param>
        /// <param name="destination">Stream written to.</param>
        /// <param name="onChunk">Receives the running total after each chunk.</param>
        /// <param name="sourceIsLocal">True when the source is a local file (its read errors are local).</param>
        /// <param name="destinationIsLocal">True when the destination is a local stream (its write errors are local).</param>
        /// <param name="cancellationToken">Stops the copy.</param>
        /// <param name="stopAfter">
        /// When given, at most this many bytes are written: a source with more returns <c>stopAfter + 1</c> as soon
        /// as it shows it, without writing the chunk that went past (an upload's Content-Length was declared from the file's length, and one byte more
        /// would make HttpClient fail the request as if the network had).
        /// </param>
        /// <returns>The bytes copied.</returns>
        public static async Task<long> CopyAsync(
            Stream source, Stream destination, Action<long>? onChunk, bool sourceIsLocal, bool destinationIsLocal,
            CancellationToken cancellationToken, long? stopAfter = null)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
            try
            {
                long total = 0;
                while (true)
                {
                    int read;
                    try
                    {
                        read = await source.ReadAsync(buffer, 0, ChunkSize, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (sourceIsLocal && !(ex is OperationCanceledException))
                    {
                        throw new LocalStreamException(ex);
                    }

                    if (read == 0) return total;
                    if (stopAfter is long limit && total + read > limit) return limit + 1;

                    await WriteAsync(destination, buffer, read, destinationIsLocal, cancellationToken).ConfigureAwait(false);
                    total += read;
                    onChunk?.Invoke(total);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private static async Task WriteAsync(Stream destination, byte[] buffer, int count, bool destinationIsLocal, CancellationToken cancellationToken)
        {
            try
            {
                await destination.WriteAsync(buffer, 0, count, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (destinationIsLocal && !(ex is OperationCanceledException))
            {
                throw new LocalStreamException(ex);
            }
        }
    }
}
