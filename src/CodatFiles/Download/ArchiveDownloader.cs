using System;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodatFiles.Client;
using CodatFiles.Errors;
using CodatFiles.FileSystem;
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
    [SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification =
        "The SemaphoreSlim is never disposed on purpose: a worker may still release it after the cmdlet ends, and " +
        "it holds no OS handle unless AvailableWaitHandle is read, which this code never does.")]
    internal sealed class ArchiveDownloader
    {
        private readonly CodatFilesClient _client;
        private readonly PipelineMessageQueue _messages;
        private readonly TransferProgressReporter _progress;
        private readonly Func<string, IProgress<TransferProgress>?, CodatCallOptions> _createCallOptions;
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
            _extractor = extractor;
        }

        /// <summary>Where -AsArchive keeps the job's zip.</summary>
        public static string ArchivePathOf(DownloadJob job) => Path.Combine(job.Destination, job.ArchiveFileName);

        public async Task DownloadAsync(DownloadJob job, CancellationToken cancellationToken)
        {
            // A day's archive that lacks listed files is followed by the whole-company archive, for those files only.
            var fallback = await DownloadOnceAsync(job, cancellationToken).ConfigureAwait(false);
            if (fallback == null) return;
            _progress.AddPlanned(1, 0);
            await DownloadOnceAsync(fallback, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Downloads and saves one archive; returns the whole-company job to run next for files it lacked, or null.</summary>
        private async Task<DownloadJob?> DownloadOnceAsync(DownloadJob job, CancellationToken cancellationToken)
        {
            var description = $"Download {job.Describe()}";
            var transfer = _progress.BeginTransfer(description, null);
            var succeeded = 0;
            var failed = 0;
            long bytes = 0;
            // An archive to extract waits in the staging folder (-TemporaryPath); one to keep is written beside its final name.
            var finalPath = _extractor == null ? ArchivePathOf(job) : Path.Combine(_stagingDirectory, job.ArchiveFileName);
            DownloadJob? fallback = null;
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
                    else
                    {
                        var (read, next) = await ExtractAsync(_extractor, job, archive.Path, transfer, bytes, cancellationToken).ConfigureAwait(false);
                        if (!read)
                        {
                            failed = 1;
                            return null;
                        }
                        fallback = next;
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
            return fallback;
        }

        /// <summary>
        /// An existing file an entry was not written over (no -Force): up to date said in -Verbose, another file
        /// warned about; either way counted (up to date, or skipped), not failed, so a nightly job under -ErrorAction Stop goes on.
        /// </summary>
        private void ReportKept(string path, LocalCopyState state)
        {
            LocalCopies.CountKept(_tally, path, state);
            if (state == LocalCopyState.UpToDate) _messages.WriteVerbose($"'{path}' is up to date (its last write time is the upload time); skipped.");
            else _messages.WriteWarning($"'{path}' was kept: a file of that name was there with another time. Use -Force to replace it with Codat's copy, or save into another folder.");
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
        private async Task<(bool Read, DownloadJob? Fallback)> ExtractAsync(
            ArchiveExtractor extractor, DownloadJob job, string archivePath, TransferHandle transfer, long archiveBytes, CancellationToken cancellationToken)
        {
            DownloadJob? fallback = null;
            await _oneExtractionAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var count = 0;
                var notInArchive = extractor.Extract(archivePath, job.Destination, job.CompanyId, job.Targets ?? job.Listed, job.Targets == null, job.FileAt,
                    (written, listed) =>
                    {
                        count++;
                        _tally.AddDone(1, written.Length);
                        if (listed != null && listed.IsRenamedLocally)
                        {
                            _messages.WriteVerbose($"Codat's '{listed.Describe()}' is saved as '{written.FullName}': {LocalNameRules.Current.Platform} cannot hold its name as stored, or another file of company {job.CompanyId} has it.");
                        }
                        _messages.WriteSavedFile(new SavedFile(written.FullName, job.CompanyId, listed?.SourceType, listed?.UploadedUtc, listed?.FileName));
                    },
                    (path, state) => ReportKept(path, state),
                    error => _messages.WriteError(error),
                    progressed => transfer.ShowStage(progressed.ToStage(archiveBytes)));
                if (job.Day != null && notInArchive.Count > 0 && job.Catalog != null)
                {
                    // Around a UTC day boundary Codat's day may not be the day its listed time says: the whole-company
                    // archive holds every file, so it is asked before any file is reported missing.
                    _messages.WriteVerbose($"The archive of the {job.Describe()} lacks {Counted.Files(notInArchive.Count)} the list puts on that day; looking in the whole-company archive.");
                    fallback = job.WholeCompanyFor(notInArchive.Select(target => target.File));
                    notInArchive = Array.Empty<ArchiveTarget>();
                }
                foreach (var target in notInArchive)
                {
                    _messages.WriteError(ErrorRecordFactory.FileNotInArchive(target.File.Describe(), job.CompanyId));
                }
                _messages.WriteVerbose($"Saved {Counted.Files(count)} of the {job.Describe()} to '{job.Destination}'.");
                return (true, fallback);
            }
            catch (ArchiveExpansionException exception)
            {
                _messages.WriteError(ErrorRecordFactory.ArchiveTooExpansive(exception, job.CompanyId, job.Describe()), FilesOf(job));
                return (false, null);
            }
            catch (InvalidDataException exception)
            {
                _messages.WriteError(ErrorRecordFactory.FromException(exception, job.CompanyId, $"Extracting the {job.Describe()}"), FilesOf(job));
                return (false, null);
            }
            finally
            {
                _oneExtractionAtATime.Release();
            }
        }
    }
}
