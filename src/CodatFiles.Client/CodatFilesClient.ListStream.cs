using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CodatFiles.Client.Internal;

namespace CodatFiles.Client
{
    public sealed partial class CodatFilesClient
    {
        /// <summary>
        /// GET /companies/{companyId}/files (operation list-files), read entry by entry as the answer arrives: each
        /// file is handed out as soon as it is parsed, and only the entry being read is held, so memory stays the
        /// same whatever the size of the list. Entries come in the server's order, as from <see cref="ListFilesAsync"/>.
        /// </summary>
        /// <remarks>
        /// Until the first entry has been read (or the list turned out empty), a failure is retried by the call's
        /// policy as in <see cref="ListFilesAsync"/>. Once an entry has been handed out, nothing is retried, since the
        /// caller cannot take entries back: a broken connection throws <see cref="CodatConnectionException"/> whose
        /// <see cref="CodatException.GiveUp"/> is <see cref="CodatGiveUpKind.RetryUnsafe"/> and says how many entries
        /// came first, and a malformed body throws <see cref="CodatApiException"/>. After the first entry, each wait
        /// for more of the body is bounded by <see cref="CodatRetryOptions.PerAttemptTimeout"/>; the time the caller
        /// takes between entries counts against nothing.
        /// </remarks>
        public async IAsyncEnumerable<CodatFile> ListFilesStreamAsync(Guid companyId, CodatCallOptions? callOptions = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            ThrowIfDisposed();
            var operation = new CodatOperation(CodatOperation.ListFiles, companyId);
            var uri = _uris.ListFiles(companyId);
            var policy = EffectiveRetry(callOptions).Clone();
            var started = _time.GetTimestamp();

            var (list, attempts) = await _runner.RunAsync(operation, policy, callOptions,
                attempt => OpenListAttemptAsync(operation, uri, attempt, cancellationToken), cancellationToken).ConfigureAwait(false);
            try
            {
                var next = list.First;
                var returned = 0;
                while (next != null)
                {
                    yield return next;
                    returned++;
                    try
                    {
                        next = await list.Reader.NextAsync(policy.PerAttemptTimeout, _time).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsListBreak(ex, list.Reader))
                    {
                        throw ListBrokenAfter(operation, list.Reader, ex, attempts, returned, policy, _time.GetElapsedTime(started));
                    }
                }
            }
            finally
            {
                await list.Reader.DisposeAsync().ConfigureAwait(false);
            }
        }

        /// <summary>
        /// One GET of list-files, read up to its first entry (or its end): the open list, or the failure as read
        /// from the response. The attempt's token (its timer, the call's budget) stops the reads of this attempt.
        /// </summary>
        private async Task<AttemptResult<OpenedList>> OpenListAttemptAsync(CodatOperation operation, Uri uri, AttemptContext attempt, CancellationToken callerToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.ParseAdd("application/json");
            var response = await _sender.SendAsync(request, attempt).ConfigureAwait(false);
            StreamedList? reader = null;
            var handedOver = false;
            try
            {
                if (!response.IsSuccessStatusCode)
                {
                    return AttemptResult<OpenedList>.Failed(await _errorReader.ReadAsync(response, attempt.CancellationToken).ConfigureAwait(false));
                }

                _html.ThrowIfHtmlType(operation, response, attempt.Attempt);
                var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                reader = new StreamedList(response, body, callerToken);
                CodatFile? first;
                using (attempt.CancellationToken.Register(reader.Abort))
                {
                    try
                    {
                        first = await reader.NextAsync(limit: null, _time).ConfigureAwait(false); // the attempt's own timers bound it
                    }
                    catch (JsonException ex)
                    {
                        throw _errors.ToUnexpectedBodyException(operation, (int)response.StatusCode, attempt.Attempt, ex, RateLimitHeaders.Read(response, _redactor));
                    }
                }

                handedOver = true;
                return AttemptResult<OpenedList>.Success(new OpenedList(reader, first));
            }
            finally
            {
                // The reader owns the response once it exists; a failed attempt leaves nothing open.
                if (!handedOver && reader != null) await reader.DisposeAsync().ConfigureAwait(false);
                else if (!handedOver) response.Dispose();
            }
        }

        private static bool IsListBreak(Exception exception, StreamedList reader) =>
            exception is JsonException || ErrorMapper.IsConnectionFailure(exception) || (reader.TimedOut && exception is OperationCanceledException);

        /// <summary>The error for a list that broke after entries were handed out: never retried, and it says so.</summary>
        private CodatException ListBrokenAfter(CodatOperation operation, StreamedList reader, Exception failure, int attempts, int returned,
            CodatRetryOptions policy, TimeSpan elapsed)
        {
            if (failure is JsonException)
            {
                return _errors.ToUnexpectedBodyException(operation, reader.StatusCode, attempts, failure, RateLimitHeaders.Read(reader.Response, _redactor));
            }

            var last = reader.TimedOut ? AttemptTimeoutException.PerAttempt(policy.PerAttemptTimeout, failure) : failure;
            var entries = returned.ToString(CultureInfo.InvariantCulture) + (returned == 1 ? " entry" : " entries");
            var giveUp = new CodatGiveUp(CodatGiveUpKind.RetryUnsafe, policy, elapsed,
                detail: $"not retried: the list broke after {entries} had been handed out, which cannot be taken back");
            var error = _errors.ToConnectionException(operation, last, attempts, giveUp.ToString());
            error.GiveUp = giveUp;
            return error;
        }

        /// <summary>A list answer read up to its first entry: that entry (null for an empty list) and the reader of the rest.</summary>
        private sealed class OpenedList
        {
            public OpenedList(StreamedList reader, CodatFile? first)
            {
                Reader = reader;
                First = first;
            }

            public StreamedList Reader { get; }

            public CodatFile? First { get; }
        }
    }
}
