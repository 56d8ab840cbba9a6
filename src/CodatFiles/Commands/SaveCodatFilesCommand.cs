using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CodatFiles.Client;
using CodatFiles.Download;
using CodatFiles.Errors;
using CodatFiles.Pipeline;

namespace CodatFiles.Commands
{
    /// <summary>
    /// <para type="synopsis">Downloads a company's files from Codat and saves them to a directory.</para>
    /// <para type="description">
    /// Codat serves a company's files (optionally of one day) as one zip archive. It is streamed to a temporary
    /// file, then extracted into -DestinationPath keeping its folders (one per source type), or kept as a zip with
    /// -AsArchive. Existing files are only replaced with -Force. Files piped from Get-CodatFileList are saved alone.
    /// </para>
    /// </summary>
    [Cmdlet(VerbsData.Save, "CodatFiles", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveCodatFilesCommand : CodatApiCmdletBase
    {
        // Downloads are whole archives; a few at once is plenty and keeps clear of Codat's concurrency limit.
        private const int MaxConcurrentDownloads = 4;

        private readonly DownloadPlanner _planner = new DownloadPlanner();
        private readonly ConcurrentDictionary<string, byte> _temporaryArchives = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        private string _destination = string.Empty;
        private BoundedWorkerPool? _pool;
        private TransferProgressReporter? _progress;
        private bool _destinationCreated;

        /// <summary>The company whose files to save. Binds from piped objects with a CompanyId property.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public Guid CompanyId { get; set; }

        /// <summary>The directory to save to; created when missing. Relative paths start at the current location.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [Alias("Destination")]
        [ValidateNotNullOrEmpty]
        public string DestinationPath { get; set; } = string.Empty;

        /// <summary>Only files uploaded on this day (the calendar date as given, a UTC day in Codat).</summary>
        [Parameter]
        public DateTime Date { get; set; }

        /// <summary>
        /// Saves only this file (bound from Get-CodatFileList output). Files are found in the archive by name,
        /// source type and upload day.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        public string? FileName { get; set; }

        /// <summary>The archive folder of the file given by -FileName (bound from Get-CodatFileList output).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        public string? SourceType { get; set; }

        /// <summary>Upload time of the file given by -FileName; selects the day to download (bound from Get-CodatFileList output).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("UploadedAt")]
        [AllowNull]
        public DateTime? Uploaded { get; set; }

        /// <summary>Keeps the downloaded zip as &lt;DestinationPath&gt;/&lt;companyId&gt;[_&lt;yyyy-MM-dd&gt;].zip instead of extracting it.</summary>
        [Parameter]
        public SwitchParameter AsArchive { get; set; }

        /// <summary>Replaces existing files.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Resolves the destination through the session's current location and provider.</summary>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();

            string resolved;
            ProviderInfo provider;
            try
            {
                resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(DestinationPath, out provider, out _);
            }
            catch (Exception exception) when (exception is System.Management.Automation.DriveNotFoundException || exception is ProviderNotFoundException)
            {
                ThrowTerminatingError(ErrorRecordFactory.NotFileSystemPath(DestinationPath, "unknown"));
                return;
            }

            if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
            {
                ThrowTerminatingError(ErrorRecordFactory.NotFileSystemPath(DestinationPath, provider.Name));
            }
            if (File.Exists(resolved)) ThrowTerminatingError(ErrorRecordFactory.DestinationNotADirectory(resolved));

            _destination = Path.GetFullPath(resolved);
            _pool = CreateWorkerPool(MaxConcurrentDownloads);
            _progress = new TransferProgressReporter("Downloading files from Codat", "archives", MaxConcurrentDownloads, ProgressEnabled);
        }

        /// <summary>Confirms and records what this input asks for; downloads start at the end of input.</summary>
        protected override void ProcessRecord()
        {
            var dateDay = IsBound(nameof(Date)) ? DownloadPlanner.DayOf(Date) : (DateTime?)null;

            if (string.IsNullOrEmpty(FileName))
            {
                if (AsArchive) ConfirmArchive(CompanyId, dateDay);
                else if (ShouldProcess(_destination, $"Save the {new DownloadJob(CompanyId, dateDay).Describe()}"))
                {
                    _planner.AddWholeArchive(CompanyId, dateDay);
                }
                return;
            }

            var uploadedUtc = Uploaded is DateTime uploaded
                ? (uploaded.Kind == DateTimeKind.Local ? uploaded.ToUniversalTime() : DateTime.SpecifyKind(uploaded, DateTimeKind.Utc))
                : (DateTime?)null;
            var day = uploadedUtc is DateTime u ? DownloadPlanner.UtcDayOf(u) : dateDay;
            var selection = new FileSelection(FileName!, SourceType, uploadedUtc);

            if (AsArchive)
            {
                // The archive holds the whole day; the file only tells which day.
                ConfirmArchive(CompanyId, day);
                return;
            }

            var target = selection.SourceType == null
                ? Path.Combine(_destination, selection.FileName)
                : Path.Combine(Path.Combine(_destination, selection.SourceType), selection.FileName);
            if (ShouldProcess(target, $"Save Codat file '{selection.Describe()}' of company {CompanyId}"))
            {
                _planner.AddFile(CompanyId, day, selection);
            }
        }

        /// <summary>Downloads each planned archive (a few at once), then writes its files on this thread.</summary>
        protected override void EndProcessing()
        {
            try
            {
                foreach (var job in _planner.Jobs)
                {
                    if (job.Selections != null && job.Selections.Count == 0) continue;
                    if (!EnsureDestination()) return;
                    StartDownload(job);
                }
                PumpUntilIdle(_progress);
            }
            finally
            {
                _progress?.Complete(this);
                DeleteTemporaryArchives();
            }
        }

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            // After the workers were cancelled and waited for: archives downloaded but never extracted.
            if (disposing) DeleteTemporaryArchives();
        }

        private void ConfirmArchive(Guid companyId, DateTime? day)
        {
            var job = new DownloadJob(companyId, day);
            var archivePath = Path.Combine(_destination, job.ArchiveFileName);
            if (ShouldProcess(archivePath, $"Save the {job.Describe()} as an archive"))
            {
                _planner.AddWholeArchive(companyId, day);
            }
        }

        private bool EnsureDestination()
        {
            if (_destinationCreated) return true;
            try
            {
                Directory.CreateDirectory(_destination);
                _destinationCreated = true;
                return true;
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException || exception is ArgumentException || exception is NotSupportedException)
            {
                // No file can be saved anywhere: this stops every item.
                ThrowTerminatingError(ErrorRecordFactory.FromException(exception, _destination, $"Creating the directory '{_destination}'"));
                return false;
            }
        }

        private void StartDownload(DownloadJob job)
        {
            var description = $"Download {job.Describe()}";
            string downloadPath;
            if (AsArchive)
            {
                downloadPath = Path.Combine(_destination, job.ArchiveFileName);
                if (File.Exists(downloadPath) && !Force)
                {
                    WriteError(ErrorRecordFactory.FileExists(downloadPath));
                    return;
                }
            }
            else
            {
                downloadPath = Path.Combine(Path.GetTempPath(), "CodatFiles-" + Guid.NewGuid().ToString("N") + ".zip");
                _temporaryArchives.TryAdd(downloadPath, 0);
            }

            _progress!.AddPlanned(1, 0);
            var client = Client;
            var callOptionsContext = description;
            _pool!.Start(
                token => DownloadAsync(client, job, downloadPath, callOptionsContext, token),
                exception =>
                {
                    if (exception is OperationCanceledException && StopToken.IsCancellationRequested) return;
                    Messages.WriteError(ErrorRecordFactory.FromException(exception, job.CompanyId, description));
                });
        }

        /// <summary>Worker: streams the archive to disk, then hands the writing of files to the pipeline thread.</summary>
        private async Task DownloadAsync(CodatFilesClient client, DownloadJob job, string downloadPath, string description, CancellationToken token)
        {
            var transfer = _progress!.BeginTransfer(description, null);
            var succeeded = 0;
            var failed = 0;
            long bytes = 0;
            try
            {
                Messages.WriteVerbose($"{description}: starting.");
                var result = await client.DownloadFilesToFileAsync(job.CompanyId, job.Day, downloadPath,
                    CreateCallOptions(description, transfer), token).ConfigureAwait(false);
                bytes = result.Bytes;
                Messages.WriteVerbose($"{description}: {ByteSize.Format(result.Bytes)} received after {result.Attempts} {(result.Attempts == 1 ? "attempt" : "attempts")}.");

                if (AsArchive)
                {
                    Messages.Invoke(() => WriteFileItem(downloadPath));
                }
                else
                {
                    var plan = await ArchivePlanBuilder.BuildAsync(downloadPath, job,
                        t => client.ListFilesAsync(job.CompanyId, CreateCallOptions($"List files of company {job.CompanyId}", null), t),
                        Messages.WriteVerbose, token).ConfigureAwait(false);
                    Messages.Invoke(() => ExtractOnPipelineThread(job, downloadPath, plan));
                }
                succeeded = 1;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Stopped: the client removed its partial file; a finished temporary archive is deleted by the cmdlet.
            }
            catch (Exception exception)
            {
                failed = 1;
                Messages.WriteError(ErrorRecordFactory.FromException(exception, job.CompanyId, description));
            }
            finally
            {
                _progress.EndTransfer(transfer, succeeded, failed, bytes);
            }
        }

        /// <summary>
        /// Pipeline thread: writes a saved file as the FileSystem provider's item, as Get-Item would, so it carries
        /// PSPath/PSParentPath (binds to -LiteralPath of the next command) and shows in the usual file view.
        /// </summary>
        private void WriteFileItem(string path)
        {
            var items = InvokeProvider.Item.Get(new[] { path }, true, true);
            if (items.Count > 0) WriteObject(items[0]);
            else WriteObject(new FileInfo(path));
        }

        /// <summary>Pipeline thread: writes the planned files and reports each one.</summary>
        private void ExtractOnPipelineThread(DownloadJob job, string archivePath, ExtractionPlan plan)
        {
            try
            {
                foreach (var missing in plan.Missing)
                {
                    WriteError(ErrorRecordFactory.FileNotInArchive(missing.Describe(), job.CompanyId));
                }

                var extractor = new ArchiveExtractor(_destination, Force, StopToken);
                var count = 0;
                extractor.Extract(archivePath, plan.EntryNames,
                    written =>
                    {
                        count++;
                        WriteFileItem(written.FullName);
                    },
                    WriteError);
                WriteVerbose($"Saved {count} {(count == 1 ? "file" : "files")} of the {job.Describe()} to '{_destination}'.");
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (InvalidDataException exception)
            {
                WriteError(ErrorRecordFactory.FromException(exception, job.CompanyId, $"Extracting the {job.Describe()}"));
            }
            finally
            {
                ArchiveExtractor.TryDelete(archivePath);
                _temporaryArchives.TryRemove(archivePath, out _);
            }
        }

        private void DeleteTemporaryArchives()
        {
            foreach (var path in _temporaryArchives.Keys)
            {
                ArchiveExtractor.TryDelete(path);
                _temporaryArchives.TryRemove(path, out _);
            }
        }
    }
}
