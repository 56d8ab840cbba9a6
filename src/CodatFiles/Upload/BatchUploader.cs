using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CodatFiles.Client;
using CodatFiles.Errors;
using CodatFiles.Pipeline;

namespace CodatFiles.Upload
{
    /// <summary>
    /// Uploads one batch on a worker: one multipart request through the client, then one result per file, or
    /// one error per file when the request failed. Once Codat refused the call's key (401), or refused it for a
    /// company (403), the later batches it rules out are reported as not sent instead of being sent. It tells the
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
        private readonly TransferTally _tally;
        private readonly Func<string, IProgress<TransferProgress>?, CodatCallOptions> _createCallOptions;
        private readonly CompanyConcurrency _concurrency;
        private readonly CredentialsRefusal _credentials = new CredentialsRefusal();

        public BatchUploader(
            CodatFilesClient client,
            PipelineMessageQueue messages,
            TransferProgressReporter progress,
            TransferTally tally,
            Func<string, IProgress<TransferProgress>?, CodatCallOptions> createCallOptions,
            CompanyConcurrency concurrency)
        {
            _client = client;
            _messages = messages;
            _progress = progress;
            _tally = tally;
            _createCallOptions = createCallOptions;
            _concurrency = concurrency;
        }

        public async Task UploadAsync(UploadBatch batch, CancellationToken cancellationToken)
        {
            var description = batch.Describe();
            var transfer = _progress.BeginTransfer(description, batch.TotalBytes);
            var succeeded = 0;
            var failed = 0;
            long bytesDone = 0;
            try
            {
                // Checked once this batch's turn came (after the worker pool's gate), so batches queued behind a
                // refused one, and those formed after it, are not sent either.
                if (_credentials.RefusalFor(batch.CompanyId) is { } refusal)
                {
                    failed = batch.Files.Count;
                    _tally.AddFailed(failed, batch.TotalBytes);
                    foreach (var file in batch.Files)
                    {
                        _messages.WriteError(ErrorRecordFactory.NotSentAfterCredentialsRefused(refusal, file, batch.CompanyId));
                    }
                    return;
                }

                _messages.WriteVerbose($"{description}: sending {ByteSize.Format(batch.TotalBytes)} to company {batch.CompanyId}, connection {batch.ConnectionId}.");

                var files = new List<UploadFile>(batch.Files.Count);
                // Looked at again when sent (not the resolver's FileInfo): a file that changed since it was checked must be
                // sent as it is now, so Codat's checks see its real size.
                foreach (var file in batch.Files) files.Add(UploadFile.FromPath(file.FullName, file.Name));

                var limit = _concurrency.For(batch.CompanyId);
                var options = _createCallOptions(description, transfer);
                var reportRetry = options.OnRetry;
                options.OnRetry = retry =>
                {
                    if (retry.StatusCode == 429) RecordThrottled(limit, retry.Delay, batch.CompanyId);
                    reportRetry?.Invoke(retry);
                };

                var result = await _client.UploadFilesAsync(batch.CompanyId, batch.ConnectionId, files,
                    options, cancellationToken).ConfigureAwait(false);
                limit.RecordSuccess();

                var uploadedAt = result.CompletedAt.UtcDateTime;
                foreach (var file in batch.Files)
                {
                    _messages.WriteObject(new SendCodatFileResult(
                        file.Name, file.FullName, file.Length, batch.CompanyId, batch.ConnectionId, uploadedAt, result.Attempts));
                }
                succeeded = batch.Files.Count;
                bytesDone = batch.TotalBytes;
                _tally.AddDone(succeeded, bytesDone);
                _messages.WriteVerbose($"{description}: done after {Counted.Attempts(result.Attempts)}.");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped by the user: nothing to report, the pipeline is going away.
            }
            catch (Exception exception)
            {
                failed = batch.Files.Count;
                _tally.AddFailed(failed, batch.TotalBytes);
                if (exception is CodatApiException { StatusCode: 429 } throttled)
                {
                    RecordThrottled(_concurrency.For(batch.CompanyId), throttled.RetryAfter ?? TimeSpan.Zero, batch.CompanyId);
                }
                if (_credentials.TryRecord(exception, batch.CompanyId))
                {
                    _messages.WriteVerbose(DescribeStop(description, (CodatApiException)exception, batch.CompanyId));
                }
                foreach (var error in BatchFailureErrors.For(exception, batch.Files)) _messages.WriteError(error);
            }
            finally
            {
                _progress.EndTransfer(transfer, succeeded, failed, bytesDone);
            }
        }

        private void RecordThrottled(AdaptiveConcurrencyLimit limit, TimeSpan retryDelay, Guid companyId)
        {
            if (limit.RecordThrottled(retryDelay) is int lowered)
            {
                _messages.WriteVerbose($"Codat answered 429 for company {companyId}: at most {Counted.Requests(lowered)} at once for it from now on, rising again as requests succeed.");
            }
        }

        private static string DescribeStop(string description, CodatApiException refusal, Guid companyId)
        {
            var stopped = refusal.Kind == CodatErrorKind.Forbidden
                ? $"no further batch for company {companyId} is sent"
                : "no further batch of this call is sent";
            return $"{description}: Codat refused the credentials ({refusal.StatusCode}); {stopped}, and the files of those batches are reported as errors.";
        }
    }
}
