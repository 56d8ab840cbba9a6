using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using CodatFiles.Client;
using CodatFiles.Errors;
using CodatFiles.Pipeline;

namespace CodatFiles.Download
{
    /// <summary>
    /// Downloads one planned archive on a worker (the download side of <see cref="Upload.BatchUploader"/>): the zip
    /// is streamed into a <see cref="TemporaryFile"/>, the archive's only owner, then either moved into place as
    /// &lt;companyId&gt;[_&lt;day&gt;].zip (-AsArchive) or extracted, still on the worker, and deleted. Everything it
    /// reports goes through the message queue and the progress reporter; it never writes to PowerShell itself and
    /// never lets an exception escape.
    /// </summary>
    internal sealed class ArchiveDownloader
    {
        private readonly CodatFilesClient _client;
        private readonly PipelineMessageQueue _messages;
        private readonly TransferProgressReporter _progress;
        private readonly Func<string, IProgress<TransferProgress>?, CodatCallOptions> _createCallOptions;
        private readonly string _destination;
        private readonly string _stagingDirectory;
        private readonly ArchiveExtractor? _extractor;
        private readonly TransferTally _tally;

        // The extractor remembers what this call saved, to refuse a second file of the same path; taking archives
        // one at a time keeps that check and the write that follows it together.
        private readonly SemaphoreSlim _oneExtractionAtATime = new SemaphoreSlim(1, 1);

        /// <summary>With no extractor, each archive is kept as a zip in the destination (-AsArchive).</summary>
        public ArchiveDownloader(
            CodatFilesClient client,
            PipelineMessageQueue messages,
            TransferProgressReporter progress,
            Func<string, IProgress<TransferProgress>?, CodatCallOptions> createCallOptions,
            string destination,
            string stagingDirectory,
            ArchiveExtractor? extractor,
            TransferTally tally)
        {
            _stagingDirectory = stagingDirectory;
            _tally = tally;
            _client = client;
            _messages = messages;
            _progress = progress;
            _createCallOptions = createCallOptions;
            _destination = destination;
            _extractor = extractor;
        }

        /// <summary>Where -AsArchive keeps the job's zip.</summary>
        public string ArchivePathOf(DownloadJob job) => Path.Combine(_destination, job.ArchiveFileName);

        public async Task DownloadAsync(DownloadJob job, CancellationToken cancellationToken)
        {
            var description = $"Download {job.Describe()}";
            var transfer = _progress.BeginTransfer(description, null);
            var succeeded = 0;
            var failed = 0;
            long bytes = 0;
            // An archive to extract waits in the staging folder (-TemporaryPath); one to keep is written beside its final name.
            var finalPath = _extractor == null ? ArchivePathOf(job) : Path.Combine(_stagingDirectory, job.ArchiveFileName);
            try
            {
                using (var archive = TemporaryFile.Beside(finalPath))
                {
                    _messages.WriteVerbose($"{description}: starting.");
                    CodatDownloadResult result;
                    using (var stream = archive.Create(useAsync: true))
                    {
                        result = await _client.DownloadFilesAsync(job.CompanyId, job.Day, stream,
                            _createCallOptions(description, transfer), cancellationToken).ConfigureAwait(false);
                    }
                    bytes = result.Bytes;
                    _messages.WriteVerbose($"{description}: {ByteSize.Format(result.Bytes)} received after {Counted.Attempts(result.Attempts)}.");
                    cancellationToken.ThrowIfCancellationRequested();

                    if (_extractor == null)
                    {
                        archive.MoveTo(finalPath);
                        _tally.AddDone(1, bytes);
                        _messages.WriteSavedFile(new SavedFile(finalPath, job.CompanyId, null, null));
                    }
                    else if (!await ExtractAsync(_extractor, job, archive.Path, transfer, bytes, cancellationToken).ConfigureAwait(false))
                    {
                        failed = 1;
                        return;
                    }
                    succeeded = 1;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped by the user: nothing to report; the temporary archive was removed on the way out.
            }
            catch (Exception exception)
            {
                failed = 1;
                _messages.WriteError(ErrorRecordFactory.FromException(exception, job.CompanyId, description), FilesOf(job));
            }
            finally
            {
                _progress.EndTransfer(transfer, succeeded, failed, bytes);
            }
        }

        /// <summary>
        /// The files a failure of the whole job stands for: the archive kept with -AsArchive (it is the output), else
        /// every file listed for it (at least one: the company's files when the list is not known).
        /// </summary>
        private long FilesOf(DownloadJob job) => _extractor == null ? 1 : Math.Max(1, job.ListedFileCount);

        /// <summary>
        /// Writes the job's files and reports each one, showing how far it got on the download's bar. False when
        /// the archive could not be read.
        /// </summary>
        private async Task<bool> ExtractAsync(
            ArchiveExtractor extractor, DownloadJob job, string archivePath, TransferHandle transfer, long archiveBytes, CancellationToken cancellationToken)
        {
            await _oneExtractionAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var count = 0;
                var notInArchive = extractor.Extract(archivePath, job.Targets ?? job.Listed, job.Targets == null, job.FileAt,
                    (written, listed) =>
                    {
                        count++;
                        _tally.AddDone(1, written.Length);
                        _messages.WriteSavedFile(new SavedFile(written.FullName, job.CompanyId, listed?.SourceType, listed?.UploadedUtc));
                    },
                    error => _messages.WriteError(error),
                    progressed => transfer.ShowStage(progressed.ToStage(archiveBytes)));
                foreach (var target in notInArchive)
                {
                    _messages.WriteError(ErrorRecordFactory.FileNotInArchive(target.File.Describe(), job.CompanyId));
                }
                _messages.WriteVerbose($"Saved {Counted.Files(count)} of the {job.Describe()} to '{_destination}'.");
                return true;
            }
            catch (ArchiveExpansionException exception)
            {
                _messages.WriteError(ErrorRecordFactory.ArchiveTooExpansive(exception, job.CompanyId, job.Describe()), FilesOf(job));
                return false;
            }
            catch (InvalidDataException exception)
            {
                _messages.WriteError(ErrorRecordFactory.FromException(exception, job.CompanyId, $"Extracting the {job.Describe()}"), FilesOf(job));
                return false;
            }
            finally
            {
                _oneExtractionAtATime.Release();
            }
        }
    }
}
