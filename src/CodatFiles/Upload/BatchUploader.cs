using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodatFiles.Client;
using CodatFiles.Errors;
using CodatFiles.Pipeline;

namespace CodatFiles.Upload
{
    /// <summary>
    /// Uploads one batch on a worker: one multipart request through the client, then one result per file, or
    /// one error per file when the request failed. A failure that concerns the whole call, a company or a
    /// connection (a refused key, an unknown company, an unreachable server: see <see cref="WholeCallStops"/>)
    /// is not reported per file: the batch's files, and those of every later batch it rules out (not sent), are
    /// added to that stop, which the command reports once at the end. It tells the
    /// company's adaptive limit how each request went (successes, and 429s as they are retried or fail), so the
    /// call sends fewer at once to a company whose allowance is taken by someone else. Everything it
    /// reports goes through the message queue and the progress reporter; it never writes to PowerShell itself and
    /// never lets an exception escape.
    /// </summary>
    internal sealed class BatchUploader
    {
        private readonly CodatFilesClient _client;
        private readonly PipelineMessageQueue _messages;
        private readonly TransferProgressReporter _progress;
        private readonly Func<string, IProgress<TransferProgress>?, CallObservers, CodatCallOptions> _createCallOptions;
        private readonly CompanyConcurrency _concurrency;
        private readonly StartListCheck _startList;
        private readonly NamesInFlight _names = new NamesInFlight();
        private readonly UploadReconciler _reconciler;
        private readonly QuotaWatch? _quota;

        /// <summary>The failures that stop the call, a company or a connection; the command writes one error for each at the end.</summary>
        public WholeCallStops Stops { get; } = new WholeCallStops();

        public BatchUploader(
            CodatFilesClient client,
            PipelineMessageQueue messages,
            TransferProgressReporter progress,
            Func<string, IProgress<TransferProgress>?, CallObservers, CodatCallOptions> createCallOptions,
            CompanyConcurrency concurrency,
            StartListCheck startList,
            UploadReconciler reconciler,
            QuotaWatch? quota = null)
        {
            _reconciler = reconciler;
            _startList = startList;
            _quota = quota;
            _client = client;
            _messages = messages;
            _progress = progress;
            _createCallOptions = createCallOptions;
            _concurrency = concurrency;
        }

        public async Task UploadAsync(UploadBatch batch, CancellationToken cancellationToken)
        {
            var description = batch.Describe();
            var transfer = _progress.BeginTransfer(description, batch.TotalBytes);
            var outcome = new BatchOutcome(batch.Files);
            try
            {
                if (await StartListAsync(batch, outcome, cancellationToken).ConfigureAwait(false) is CompanyStartList startList)
                {
                    FailUnreadable(outcome);
                    await SendUntilSettledAsync(batch, startList, description, transfer, outcome, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped by the user: nothing to report, the pipeline is going away.
            }
            catch (Exception exception)
            {
                ReportFailedCall(batch, description, exception, outcome);
            }
            finally
            {
                _quota?.BatchFinished();
                _progress.EndTransfer(transfer, outcome.Succeeded, outcome.Failed, outcome.BytesDone);
            }
        }

        /// <summary>
        /// The batch's company's start list, with the files already stored settled as done (the re-run filter counted
        /// them for the summary); null when the batch is not to be sent: a stop rules it out, or the list failed.
        /// </summary>
        private async Task<CompanyStartList?> StartListAsync(UploadBatch batch, BatchOutcome outcome, CancellationToken cancellationToken)
        {
            // Checked once this batch's turn came (after the worker pool's gate), so batches queued behind a
            // refused one, and those formed after it, are not sent either.
            if (Stops.StopFor(batch.CompanyId, batch.ConnectionId) is { } stop)
            {
                stop.Add(batch.Files);
                outcome.Fail(batch.Files);
                return null;
            }

            if (!(await _startList.CheckAsync(batch, Stops, cancellationToken).ConfigureAwait(false) is var (kept, startList)))
            {
                outcome.Fail(batch.Files);
                return null;
            }

            // Files already stored count as done for the progress bars: nothing is left to do for them.
            outcome.Done(batch.Files.Except(kept).ToList());
            return startList;
        }

        /// <summary>A file that cannot be opened now fails alone, before its request is sent (the rest still are).</summary>
        private void FailUnreadable(BatchOutcome outcome)
        {
            foreach (var file in outcome.Pending)
            {
                if (UploadSources.OpenFailure(file) is Exception unreadable)
                {
                    _messages.WriteFileError(ErrorRecordFactory.UploadSourceFailed(unreadable, file, changed: false), file);
                    outcome.Fail(new[] { file });
                }
            }
        }

        /// <summary>
        /// Sends the pending files; when one file's source failed while its request was sent, that file alone fails,
        /// and the request is sent again without it (and without files an earlier attempt was found to have stored).
        /// </summary>
        private async Task SendUntilSettledAsync(UploadBatch batch, CompanyStartList startList, string description,
            IProgress<TransferProgress>? transfer, BatchOutcome outcome, CancellationToken cancellationToken)
        {
            var limit = _concurrency.For(batch.CompanyId);
            if (outcome.Pending.Count > 0) _quota?.BeforeSending();
            while (outcome.Pending.Count > 0)
            {
                var sending = outcome.Pending;
                if (!(await SendAsync(batch, sending, startList, limit, description, transfer, cancellationToken).ConfigureAwait(false) is var (bad, foundStored)))
                {
                    outcome.Done(sending);
                    return;
                }

                outcome.Fail(new[] { bad });
                outcome.Done(foundStored);
                if (outcome.Pending.Count > 0) _messages.WriteVerbose($"{description}: sending the other {Counted.Files(outcome.Pending.Count)} again without '{bad.Name}'.");
            }
        }

        /// <summary>
        /// A failed upload call: files an earlier attempt was proven to store are results, those the last attempt may
        /// have stored wait for the end; the rest fail, under their own errors or a stop's one error.
        /// </summary>
        private void ReportFailedCall(UploadBatch batch, string description, Exception exception, BatchOutcome outcome)
        {
            SettleFailedCall(batch, exception, outcome);
            var failed = outcome.Pending;
            outcome.Fail(failed);
            if (exception is CodatApiException { StatusCode: 429 } throttled)
            {
                RecordThrottled(_concurrency.For(batch.CompanyId), throttled.RetryAfter ?? TimeSpan.Zero, batch.CompanyId);
            }
            if (Stops.Record(exception, batch.CompanyId, batch.ConnectionId, out var isNew) is { } stop)
            {
                stop.Add(failed);
                if (isNew) _messages.WriteVerbose(stop.Describe(description));
            }
            else
            {
                BatchFailureErrors.Post(_messages, exception, failed);
            }
        }

        /// <summary>
        /// One upload call for <paramref name="sending"/>: on success writes a result per file and returns null. When
        /// one file's source failed, writes its error and returns it with the files an earlier attempt was found to
        /// have stored (written as uploaded), so the caller can send the rest again. Other failures are thrown.
        /// </summary>
        private async Task<(FileInfo Bad, List<FileInfo> FoundStored)?> SendAsync(UploadBatch batch, IReadOnlyList<FileInfo> sending,
            CompanyStartList startList, AdaptiveConcurrencyLimit limit, string description, IProgress<TransferProgress>? transfer, CancellationToken cancellationToken)
        {
            long sendingBytes = 0;
            foreach (var file in sending) sendingBytes += file.Length;
            _messages.WriteVerbose($"{description}: sending {ByteSize.Format(sendingBytes)} to company {batch.CompanyId}, connection {batch.ConnectionId}.");

            // The resolver's FileInfo, not a second look: a file that changed since it was checked is refused
            // while it is sent (CodatUploadSourceException) instead of sending bytes other than those checked.
            var files = new List<UploadFile>(sending.Count);
            foreach (var file in sending) files.Add(UploadFile.FromFile(file, file.Name));

            var options = UploadCallOptions(batch, sending, startList, limit, description, transfer);
            CodatUploadResult result;
            try
            {
                // One upload of a name per company unanswered at once, so the client's count can tell them apart.
                using (await _names.HoldAsync(batch.CompanyId, files.Select(f => f.FileName), cancellationToken).ConfigureAwait(false))
                {
                    result = await _client.UploadFilesAsync(batch.CompanyId, batch.ConnectionId, files, options, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (CodatUploadSourceException source)
            {
                var bad = sending[files.IndexOf(source.File)];
                _messages.WriteFileError(ErrorRecordFactory.FromException(source, bad, ErrorRecordFactory.UploadActivity(bad)), bad);
                var foundStored = UploadSources.Named(source.FoundStored, sending, except: bad);
                WriteUploaded(batch, foundStored, source.UploadFoundStoredAt?.UtcDateTime ?? DateTime.UtcNow, source.Attempts);
                return (bad, foundStored);
            }

            limit.RecordSuccess();
            WriteUploaded(batch, sending, result.CompletedAt.UtcDateTime, result.Attempts);
            _messages.WriteVerbose($"{description}: done after {Counted.Attempts(result.Attempts)}.");
            return null;
        }

        /// <summary>
        /// What one upload call adds to the cmdlet's options (retry policy, progress, the tally's and -Debug's
        /// observers): the quota watch, the company's baseline for lost answers, the warning for every unproven
        /// re-send, and the company's adaptive limit told of each 429. The options are assembled once, from these.
        /// </summary>
        private CodatCallOptions UploadCallOptions(UploadBatch batch, IReadOnlyList<FileInfo> sending, CompanyStartList startList,
            AdaptiveConcurrencyLimit limit, string description, IProgress<TransferProgress>? transfer) =>
            _createCallOptions(description, transfer, new CallObservers
            {
                OnHttpExchange = _quota is null ? null : (Action<CodatHttpExchange>)_quota.OnAnswer,
                UploadBaseline = startList.Baseline,
                // Every file re-sent after an unproven attempt is warned about now: a late commit can land after any list.
                OnAmbiguousAttempt = report =>
                {
                    _reconciler.AttemptWasAmbiguous(batch.CompanyId);
                    AmbiguousAttemptNotice.Post(_messages, description, report, sending);
                },
                OnRetry = retry =>
                {
                    if (retry.StatusCode == 429) RecordThrottled(limit, retry.Delay, batch.CompanyId);
                },
            });

        private void WriteUploaded(UploadBatch batch, IReadOnlyList<FileInfo> files, DateTime uploadedAt, int attempts)
        {
            foreach (var file in files)
            {
                // Written (and counted) by the reconciler: at once, or under -Verify once the final list confirmed it.
                _reconciler.Uploaded(new SendCodatFileResult(
                    file.Name, file.FullName, file.Length, batch.CompanyId, batch.ConnectionId, uploadedAt, attempts));
            }
        }

        /// <summary>
        /// After a failed upload call: writes the files an earlier attempt was proven to store as results, and hands
        /// those its last attempt may have stored to the reconciler (decided by the list at the end). What is left
        /// pending failed, and its errors are written by the caller.
        /// </summary>
        private void SettleFailedCall(UploadBatch batch, Exception exception, BatchOutcome outcome)
        {
            if (!(exception is CodatException failed)) return;
            var stored = UploadSources.Named(failed.UploadFoundStored, outcome.Pending, except: null);
            WriteUploaded(batch, stored, failed.UploadFoundStoredAt?.UtcDateTime ?? DateTime.UtcNow, failed.Attempts);
            outcome.Done(stored);
            var unknown = UploadSources.Named(failed.UploadOutcomeUnknown, outcome.Pending, except: null);
            foreach (var file in unknown)
            {
                _reconciler.OutcomeUnknown(batch, file, ErrorRecordFactory.FromException(failed, file, ErrorRecordFactory.UploadActivity(file)), failed.Attempts);
            }

            outcome.Settle(unknown);
            if (unknown.Count > 0)
            {
                _messages.WriteWarning($"{batch.Describe()}: the last attempt got no answer Codat can be held to and no retry was left, so " +
                                       string.Join(", ", unknown.Select(f => "'" + f.FullName + "'")) + " may be stored; the company's files are listed at the end of the call to decide.");
            }
        }

        private void RecordThrottled(AdaptiveConcurrencyLimit limit, TimeSpan retryDelay, Guid companyId)
        {
            if (limit.RecordThrottled(retryDelay) is int lowered)
            {
                _messages.WriteVerbose($"Codat answered 429 for company {companyId}: at most {Counted.Requests(lowered)} at once for it from now on, rising again as requests succeed.");
            }
        }
    }
}
