using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
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
        private readonly List<DownloadJob> _archives = new List<DownloadJob>();
        private readonly HashSet<(Guid Company, DateTime? Day)> _offeredArchives = new HashSet<(Guid Company, DateTime? Day)>();
        private readonly Dictionary<Guid, CompanyFileCatalog?> _catalogs = new Dictionary<Guid, CompanyFileCatalog?>();
        private readonly SavedPaths _savedPaths = new SavedPaths();
        private readonly ConcurrentDictionary<string, byte> _temporaryArchives = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        private DestinationDirectory? _destination;
        private BoundedWorkerPool? _pool;
        private TransferProgressReporter? _progress;
        private bool _destinationCreated;

        private DestinationDirectory Destination => _destination ?? throw new InvalidOperationException("BeginProcessing has not run.");

        /// <summary>The company whose files to save. Binds from piped objects with a CompanyId property.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public Guid CompanyId { get; set; }

        /// <summary>
        /// The directory to save to; created when missing (and removed again if nothing was saved in it). Relative
        /// paths start at the current location.
        /// </summary>
        [Parameter(Mandatory = true, Position = 1)]
        [Alias("Destination")]
        [ValidateNotNullOrEmpty]
        public string DestinationPath { get; set; } = string.Empty;

        /// <summary>
        /// Only files uploaded on this UTC day: a Utc DateTime's UTC day, else the calendar date as given.
        /// </summary>
        [Parameter]
        public DateTime Date { get; set; }

        /// <summary>
        /// Saves only this file (bound from Get-CodatFileList output). The file is found in the company's list by
        /// name, source type and upload time, and saved under the name it has in the whole-company archive.
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

            _destination = new DestinationDirectory(Path.GetFullPath(resolved));
            _pool = CreateWorkerPool(MaxConcurrentDownloads);
            _progress = new TransferProgressReporter("Downloading files from Codat", "archives", MaxConcurrentDownloads, ProgressEnabled);
        }

        /// <summary>Confirms and records what this input asks for; downloads start at the end of input.</summary>
        protected override void ProcessRecord()
        {
            var requestedDay = IsBound(nameof(Date)) ? CodatDay.FromDateParameter(Date) : (DateTime?)null;
            var uploadedUtc = Uploaded is DateTime uploaded ? CodatDay.UploadTimeInUtc(uploaded) : (DateTime?)null;
            var asksForOneFile = !string.IsNullOrEmpty(FileName);

            if (AsArchive)
            {
                // The archive holds the whole day; a piped file only tells which day.
                OfferArchive(asksForOneFile && uploadedUtc is DateTime u ? CodatDay.OfUpload(u) : requestedDay);
            }
            else if (asksForOneFile) PlanFile(new FileSelection(FileName!, SourceType, uploadedUtc, requestedDay));
            else if (requestedDay is DateTime day) PlanWholeDay(day);
            else PlanWholeCompany();
        }

        /// <summary>Downloads each planned archive (a few at once), then writes its files on this thread.</summary>
        protected override void EndProcessing()
        {
            try
            {
                foreach (var job in AsArchive ? _archives : _planner.Jobs())
                {
                    if (!EnsureDestination()) return;
                    StartDownload(job);
                }
                PumpUntilIdle(_progress);
                // Extraction, the last step, runs on this thread and often ends between two updates.
                WriteLastProgress(_progress!);
            }
            finally
            {
                _progress?.Complete(this);
                DeleteTemporaryArchives();
                _destination?.RemoveIfCreatedAndEmpty();
            }
        }

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            // After the workers were cancelled and waited for: archives downloaded but never extracted, and a
            // destination folder this call created for nothing.
            if (disposing)
            {
                DeleteTemporaryArchives();
                _destination?.RemoveIfCreatedAndEmpty();
            }
        }

        private void OfferArchive(DateTime? day)
        {
            // Piped files of one day share one archive: it is offered once, whatever the answer was.
            if (!_offeredArchives.Add((CompanyId, day))) return;
            var job = new DownloadJob(CompanyId, day);
            if (ShouldProcess(Path.Combine(Destination.FullPath, job.ArchiveFileName), $"Save the {job.Describe()} as an archive"))
            {
                _archives.Add(job);
            }
        }

        private void PlanWholeCompany()
        {
            if (ShouldProcess(Destination.FullPath, $"Save the {new DownloadJob(CompanyId, null).Describe()}"))
            {
                _planner.AddWholeCompany(CompanyId);
            }
        }

        private void PlanWholeDay(DateTime day)
        {
            if (!ShouldProcess(Destination.FullPath, $"Save the {new DownloadJob(CompanyId, day).Describe()}")) return;

            // A day's archive numbers repeated names within that day only; the list gives each file its
            // whole-company name, so saving day after day into one folder never clashes.
            var catalog = CatalogOf(CompanyId);
            if (catalog == null) return;
            var files = catalog.UploadedOn(day).ToList();
            // Nothing is downloaded for an empty day, so say why the command ends with no output.
            if (files.Count == 0) WriteVerbose($"Company {CompanyId} has no files uploaded on {day:yyyy-MM-dd} (UTC); nothing to save.");
            _planner.AddFiles(catalog, files);
        }

        private void PlanFile(FileSelection selection)
        {
            var catalog = CatalogOf(CompanyId);
            if (catalog == null) return;

            var files = catalog.Find(selection, _planner.IsPlanned);
            if (files.Count == 0)
            {
                WriteError(ErrorRecordFactory.FileNotInArchive(selection.Describe(), CompanyId));
                return;
            }
            foreach (var file in files)
            {
                if (_planner.IsPlanned(file)) continue; // asked for (and confirmed) already
                var target = Path.Combine(Destination.FullPath, file.WholeArchiveName.Replace('/', Path.DirectorySeparatorChar));
                if (ShouldProcess(target, $"Save Codat file '{file.Describe()}' of company {CompanyId}"))
                {
                    _planner.AddFiles(catalog, new[] { file });
                }
            }
        }

        /// <summary>
        /// The company's file list, fetched once per call on a worker (with this call's retries and Ctrl+C). Its
        /// order decides each file's entry names. Null when listing failed; that error is written once.
        /// </summary>
        private CompanyFileCatalog? CatalogOf(Guid companyId)
        {
            if (_catalogs.TryGetValue(companyId, out var known)) return known;

            IReadOnlyList<CodatFile>? listed = null;
            var client = Client;
            var description = $"List files of company {companyId}";
            _pool!.Start(
                async token => listed = await client.ListFilesAsync(companyId, CreateCallOptions(description, null), token).ConfigureAwait(false),
                exception => Messages.WriteError(ErrorRecordFactory.FromException(exception, companyId, description)));
            PumpUntilIdle(null);

            var catalog = listed == null ? null : new CompanyFileCatalog(companyId, listed);
            _catalogs.Add(companyId, catalog);
            return catalog;
        }

        private bool EnsureDestination()
        {
            if (_destinationCreated) return true;
            try
            {
                Destination.Create();
                _destinationCreated = true;
                return true;
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException || exception is ArgumentException || exception is NotSupportedException)
            {
                // No file can be saved anywhere: this stops every item.
                ThrowTerminatingError(ErrorRecordFactory.FromException(exception, Destination.FullPath, $"Creating the directory '{Destination.FullPath}'"));
                return false;
            }
        }

        private void StartDownload(DownloadJob job)
        {
            var description = $"Download {job.Describe()}";
            string downloadPath;
            if (AsArchive)
            {
                downloadPath = Path.Combine(Destination.FullPath, job.ArchiveFileName);
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
                exception => Messages.WriteError(ErrorRecordFactory.FromException(exception, job.CompanyId, description)));
        }

        /// <summary>
        /// Worker: streams the archive to disk, then hands the writing of files to the pipeline thread, together
        /// with the transfer, whose bar shows the extraction and which the extraction ends.
        /// </summary>
        private async Task DownloadAsync(CodatFilesClient client, DownloadJob job, string downloadPath, string description, CancellationToken token)
        {
            var transfer = _progress!.BeginTransfer(description, null);
            var succeeded = 0;
            var failed = 0;
            long bytes = 0;
            var endedByExtraction = false;
            try
            {
                Messages.WriteVerbose($"{description}: starting.");
                var result = await client.DownloadFilesToFileAsync(job.CompanyId, job.Day, downloadPath,
                    CreateCallOptions(description, transfer), token).ConfigureAwait(false);
                bytes = result.Bytes;
                Messages.WriteVerbose($"{description}: {ByteSize.Format(result.Bytes)} received after {Counted.Attempts(result.Attempts)}.");

                if (AsArchive)
                {
                    Messages.Invoke(() => WriteFileItem(downloadPath));
                    succeeded = 1;
                }
                else
                {
                    var archiveBytes = result.Bytes;
                    Messages.Invoke(() => ExtractOnPipelineThread(job, downloadPath, transfer, archiveBytes));
                    endedByExtraction = true;
                }
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
                if (!endedByExtraction) _progress.EndTransfer(transfer, succeeded, failed, bytes);
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

        /// <summary>
        /// Pipeline thread: writes the planned files and reports each one, showing how far it got on the download's
        /// bar (the pipeline thread is busy here, so it writes progress itself, through the same 250 ms throttle).
        /// </summary>
        private void ExtractOnPipelineThread(DownloadJob job, string archivePath, TransferHandle transfer, long archiveBytes)
        {
            var extracted = false;
            try
            {
                var extractor = new ArchiveExtractor(Destination.FullPath, Force, _savedPaths, StopToken);
                var count = 0;
                var notInArchive = extractor.Extract(archivePath, job.LocalNamesByEntry,
                    written =>
                    {
                        count++;
                        WriteFileItem(written.FullName);
                    },
                    WriteError,
                    progressed =>
                    {
                        transfer.ShowStage(progressed.ToStage(archiveBytes));
                        _progress!.WriteIfDue(this);
                    });
                extracted = true;
                foreach (var entryName in notInArchive)
                {
                    WriteError(ErrorRecordFactory.FileNotInArchive(job.Files![entryName].Describe(), job.CompanyId));
                }
                WriteVerbose($"Saved {Counted.Files(count)} of the {job.Describe()} to '{Destination.FullPath}'.");
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
                _progress!.EndTransfer(transfer, extracted ? 1 : 0, extracted ? 0 : 1, archiveBytes);
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
