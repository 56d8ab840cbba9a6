using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CodatFiles.Client.Internal;

namespace CodatFiles.Client
{
    /// <summary>Upload: attempts, and what an attempt with an unknown outcome stored (<see cref="AmbiguousUploads"/>).</summary>
    public sealed partial class CodatFilesClient
    {
        /// <summary>
        /// Before re-sending after an attempt whose outcome is unknown: one list call (no retries of its own) to
        /// drop the files it stored. A failed list re-sends everything, and says so.
        /// </summary>
        private async Task ResolveUnknownOutcomeAsync(Guid companyId, AmbiguousUploads uploads, CodatCallOptions? callOptions,
            AttemptContext attempt, CancellationToken callerToken)
        {
            var list = new CodatOperation(CodatOperation.ListFiles, companyId);
            CodatAmbiguousAttempt report;
            try
            {
                var listed = await ListAttemptAsync(list, _uris.ListFiles(companyId), attempt).ConfigureAwait(false);
                report = listed.Failure is HttpFailure failure ? uploads.ListFailed(failure.Summary()) : uploads.Resolve(listed.Value);
            }
            catch (Exception ex) when (!callerToken.IsCancellationRequested && !(ex is LocalStreamException))
            {
                report = uploads.ListFailed(ErrorMapper.IsConnectionFailure(ex) || ex is OperationCanceledException ? _errors.Describe(ex) : ex.Message);
            }

            callOptions?.OnAmbiguousAttempt?.Invoke(report);
        }

        /// <summary>
        /// POST /companies/{companyId}/connections/{connectionId}/files (operation upload-files): 1 to 20 files
        /// in one multipart request, each streamed from its source.
        /// </summary>
        /// <remarks>
        /// Each file is sent as a part named <c>file</c> (the spec's field name). The client does not check
        /// Codat's size and type limits (see <see cref="CodatUploadLimits"/>); the server answers 400 for those.
        /// A source that cannot be opened or read, or that changes while it is sent, stops the call at once with
        /// <see cref="CodatUploadSourceException"/> naming that file (not retried: the fault is local, and the
        /// request was cut off before its end, so none of it was stored).
        /// </remarks>
        public async Task<CodatUploadResult> UploadFilesAsync(Guid companyId, Guid connectionId, IReadOnlyList<UploadFile> files, CodatCallOptions? callOptions = null, CancellationToken cancellationToken = default)
        {
            ThrowIfDisposed();
            if (files is null) throw new ArgumentNullException(nameof(files));
            if (files.Count < 1 || files.Count > CodatUploadLimits.MaxFilesPerRequest)
            {
                throw new ArgumentException(
                    $"An upload request carries 1 to {CodatUploadLimits.MaxFilesPerRequest} files; got {files.Count}.", nameof(files));
            }

            if (files.Any(f => f is null)) throw new ArgumentException("The list of files contains null.", nameof(files));
            var snapshot = files.ToList(); // the caller's list may change while retries re-read it

            var operation = new CodatOperation(CodatOperation.UploadFiles, companyId, connectionId);
            var uri = _uris.UploadFiles(companyId, connectionId);

            var uploads = new AmbiguousUploads(snapshot, callOptions?.UploadBaseline, _serverClock);

            (UploadAttemptValue result, int attempts) outcome;
            try
            {
                outcome = await UploadAttemptsAsync(operation, uri, companyId, uploads, callOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (LocalStreamException local) when (local.FailedFile != null)
            {
                throw new CodatUploadSourceException(local.FailedFile, local.SourceChanged, local.Attempts,
                    uploads.FoundStored.ToList().AsReadOnly(), local.InnerException ?? local)
                {
                    UploadFoundStoredAt = uploads.FoundStoredAt
                };
            }
            catch (CodatException failed)
            {
                failed.UploadFoundStored = uploads.FoundStored.ToList().AsReadOnly();
                failed.UploadFoundStoredAt = uploads.FoundStoredAt;
                failed.UploadOutcomeUnknown = uploads.GaveUpUnknown();
                throw;
            }

            var (result, attempts) = outcome;
            return new CodatUploadResult(snapshot.Select(f => f.FileName).ToList().AsReadOnly(), result.Bytes, attempts, result.At, result.RateLimit,
                uploads.FoundStored.ToList().AsReadOnly());
        }

        /// <summary>The attempts of one upload call, each re-sending what is still pending.</summary>
        private Task<(UploadAttemptValue Value, int Attempts)> UploadAttemptsAsync(CodatOperation operation, Uri uri, Guid companyId,
            AmbiguousUploads uploads, CodatCallOptions? callOptions, CancellationToken cancellationToken) =>
            _runner.RunAsync<UploadAttemptValue>(operation, EffectiveRetry(callOptions), callOptions, async attempt =>
            {
                if (uploads.MustCheckBeforeResending)
                {
                    await ResolveUnknownOutcomeAsync(companyId, uploads, callOptions, attempt, cancellationToken).ConfigureAwait(false);
                    if (uploads.Pending.Count == 0)
                    {
                        return AttemptResult<UploadAttemptValue>.Success(new UploadAttemptValue(0, uploads.FoundStoredAt ?? _serverClock.ServerNow(), null));
                    }
                }

                // A fresh content per attempt: it re-opens every source, so a retry resends each file from its start.
                var began = _serverClock.ClientNow();
                using var content = new MultipartUploadContent(uploads.Pending, attempt.ReportProgress, attempt.CancellationToken);
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
                request.Headers.Accept.ParseAdd("application/json");
                HttpResponseMessage response;
                try
                {
                    response = await _sender.SendAsync(request, attempt).ConfigureAwait(false);
                }
                catch (Exception) when (content.BodySent)
                {
                    // Sent in full, then no answer (reset or timeout): Codat may have stored the files.
                    uploads.OutcomeUnknown(attempt.Attempt, began);
                    throw;
                }

                using var _ = response;
                if (!response.IsSuccessStatusCode)
                {
                    // A gateway's 500, 502 or 504 after the whole body may come while Codat commits; 503 and 429 say
                    // the request was not processed.
                    if (content.BodySent && (int)response.StatusCode is 500 or 502 or 504) uploads.OutcomeUnknown(attempt.Attempt, began);
                    return AttemptResult<UploadAttemptValue>.Failed(
                        await _errorReader.ReadAsync(response, attempt.CancellationToken).ConfigureAwait(false));
                }

                await _html.ThrowIfHtmlAsync(operation, response, attempt.Attempt, attempt.CancellationToken).ConfigureAwait(false);
                uploads.Confirmed();
                // Codat's clock, not ours: the answer's Date, else the estimate.
                return AttemptResult<UploadAttemptValue>.Success(new UploadAttemptValue(content.FileBytesSent,
                    response.Headers.Date ?? _serverClock.ServerNow(), RateLimitHeaders.Read(response, _redactor)));
            }, cancellationToken);

        private sealed class UploadAttemptValue
        {
            public UploadAttemptValue(long bytes, DateTimeOffset at, CodatRateLimit? rateLimit)
            {
                Bytes = bytes;
                At = at;
                RateLimit = rateLimit;
            }

            public long Bytes { get; }

            public DateTimeOffset At { get; }

            public CodatRateLimit? RateLimit { get; }
        }
    }
}
