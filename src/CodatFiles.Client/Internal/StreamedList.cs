using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// One list-files answer read entry by entry as its body arrives: the response, its body and the reader over
    /// it, owned until disposed. Only the entry being read is held, so a list of any size takes the same memory.
    /// Its reads use its own token (the caller's, plus <see cref="Abort"/>), so the attempt that opened it and each
    /// later read can bound the wait with their own timers.
    /// </summary>
    internal sealed class StreamedList : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly Stream _body;
        private readonly CancellationTokenSource _reading;
        private readonly IAsyncEnumerator<CodatFile?> _entries;

        public StreamedList(HttpResponseMessage response, Stream body, CancellationToken callerToken)
        {
            _response = response;
            _body = body;
            _reading = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
            _entries = JsonSerializer.DeserializeAsyncEnumerable(body, CodatJsonContext.Default.CodatFile, _reading.Token)
                .GetAsyncEnumerator(_reading.Token);
        }

        public int StatusCode => (int)_response.StatusCode;

        public HttpResponseMessage Response => _response;

        /// <summary>True when a read was stopped because it waited longer than its limit.</summary>
        public bool TimedOut { get; private set; }

        /// <summary>Stops the read in progress, and every later one (any thread).</summary>
        public void Abort()
        {
            try
            {
                _reading.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Already disposed: nothing is being read.
            }
        }

        /// <summary>
        /// The next entry, or null at the end of the list; null entries in the array are passed over, as the
        /// buffered list drops them. A read that has to wait for the network is stopped after <paramref name="limit"/>
        /// (then <see cref="TimedOut"/> is true); entries already received are handed out without a timer. Without a
        /// limit, only the token the reader was created with, and <see cref="Abort"/>, stop the read.
        /// </summary>
        public async ValueTask<CodatFile?> NextAsync(TimeSpan? limit, TimeProvider time)
        {
            while (true)
            {
                var pending = _entries.MoveNextAsync();
                bool moved;
                if (pending.IsCompleted || limit is null)
                {
                    moved = await pending.ConfigureAwait(false);
                }
                else
                {
                    using var timer = time.CreateCancellationTokenSource(TimerLimits.Clamp(limit.Value));
                    using var stop = timer.Token.Register(() =>
                    {
                        TimedOut = true;
                        Abort();
                    });
                    moved = await pending.ConfigureAwait(false);
                }

                if (!moved) return null;
                if (_entries.Current is CodatFile file) return file;
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await _entries.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Disposing a reader whose stream already failed may fail again; the first failure is what counts.
            }

            _body.Dispose();
            _response.Dispose();
            _reading.Dispose();
        }
    }
}
