using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CodatFiles.Completion;
using CodatFiles.Download;
using CodatFiles.Errors;
using CodatFiles.FileSystem;
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

        // Every -DestinationPath of the call (one per record when bound from the input), by full path, in input order.
        private readonly Dictionary<string, DestinationDirectory> _destinations = new Dictionary<string, DestinationDirectory>(LocalPathComparison.Comparer);
        private SavePlan? _plan;
        private BoundedWorkerPool? _pool;
        private TransferProgressReporter? _progress;
        private ArchiveDownloader? _downloader;
        private string? _stagingDirectory;

        /// <summary>The company whose files to save. Binds from piped objects with a CompanyId property.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CompanyIdCompleter))]
        public Guid CompanyId { get; set; }

        /// <summary>
        /// The directory to save to; created when missing (and removed again if nothing was saved in it). Relative
        /// paths start at the current location. Binds from a DestinationPath (or Destination) property of piped
        /// objects, such as a CSV column, and from a script block run for each of them, so each company can have its
        /// own folder.
        /// </summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
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
        [ArgumentCompleter(typeof(SourceTypeCompleter))]
        public string? SourceType { get; set; }

        /// <summary>Upload time of the file given by -FileName; selects the day to download (bound from Get-CodatFileList output).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("UploadedAt")]
        [AllowNull]
        public DateTime? Uploaded { get; set; }

        /// <summary>Keeps the downloaded zip as &lt;DestinationPath&gt;/&lt;companyId&gt;[_&lt;yyyy-MM-dd&gt;].zip instead of extracting it.</summary>
        [Parameter]
        public SwitchParameter AsArchive { get; set; }

        /// <summary>Largest file extracting writes (default 100 MB, ten times Codat's limit); a larger or lying entry is refused.</summary>
        [Parameter]
        [ValidateRange(1, long.MaxValue)]
        public long MaximumFileSize { get; set; } = ArchiveExtractor.DefaultMaxFileBytes;

        /// <summary>An archive whose entries declare more than the larger of 100 MB and this many times its size is not extracted.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int MaximumExpansionRatio { get; set; } = ExpansionBound.DefaultRatio;

        /// <summary>Replaces existing files.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>
        /// The directory where a downloaded archive waits while its files are extracted (it is deleted afterwards).
        /// Default: the system temp folder. Relative paths start at the current location.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TemporaryPath { get; set; }

        /// <summary>Resolves the destination through the session's current location and provider.</summary>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();

            // Given on the command line, the destination is checked before any input: a file there stops the command.
            if (!string.IsNullOrEmpty(DestinationPath) && DestinationOf(DestinationPath, out var refusal) == null) ThrowTerminatingError(refusal!);

            var lister = new CompanyFileLister(this);
            var copies = AsArchive ? null : new LocalCopies(Force, text => VerboseOutput.Write(this, text), WriteWarning, Tally);
            _plan = new SavePlan(copies, lister.List);
            _pool = CreateWorkerPool(MaxConcurrentDownloads);
            _progress = new TransferProgressReporter("Downloading files from Codat", "archives", MaxConcurrentDownloads, ProgressEnabled, Tally);
            var extractor = AsArchive ? null : new ArchiveExtractor(Force, MaximumFileSize, new ExpansionBound(MaximumExpansionRatio), new SavedPaths(), StopToken);
            _stagingDirectory = ResolveStagingDirectory();
            _downloader = new ArchiveDownloader(Client, Messages, _progress, CreateCallOptions, _stagingDirectory, extractor, Tally);
        }

        /// <summary>Confirms and records what this input asks for; downloads start at the end of input.</summary>
        protected override void ProcessRecord()
        {
            SessionIdHistory.ForCurrentRunspace().RecordCompany(CompanyId);
            // From the input, a destination that is a file or not on a file system fails this record only.
            var destination = DestinationOf(DestinationPath, out var refusal);
            if (destination == null)
            {
                WriteFailure(refusal!);
                return;
            }
            var request = new SaveRequest(CompanyId, destination.FullPath, IsBound(nameof(Date)) ? Date : (DateTime?)null, FileName, SourceType, Uploaded);
            foreach (var step in _plan!.StepsFor(request))
            {
                if (step.Error != null) WriteFailure(step.Error);
                else if (step.IsNote) VerboseOutput.Write(this, step.Accept()!);
                else if (!ShouldProcess(step.Target, step.Action)) Tally.AddSkipped(step.FileCount, 0);
                else if (step.Accept() is string note) VerboseOutput.Write(this, note);
            }
        }

        /// <summary>Downloads each planned archive (a few at once) on workers and writes what they report.</summary>
        protected override void EndProcessing()
        {
            try
            {
                foreach (var destination in _destinations.Values) RemoveLeftovers(destination.FullPath);
                var created = new Dictionary<string, ErrorRecord?>(LocalPathComparison.Comparer);
                foreach (var job in _plan!.Jobs())
                {
                    // Created when its first download starts; a folder that cannot be made fails its downloads, once.
                    if (!created.TryGetValue(job.Destination, out var failure))
                    {
                        failure = _destinations[job.Destination].TryCreate();
                        created.Add(job.Destination, failure);
                        if (failure != null) WriteFailure(failure, Math.Max(1, job.ListedFileCount));
                    }
                    if (failure == null) StartDownload(job);
                }
                PumpUntilIdle(_progress);
                // Extraction, the last step, often ends between two updates.
                WriteLastProgress(_progress!);
            }
            finally
            {
                _progress?.Complete(this);
                foreach (var destination in _destinations.Values) destination.RemoveIfCreatedAndEmpty();
            }
            WriteSummary();
        }

        /// <summary>
        /// Removes what crashed runs of the module left in the destination and the staging folder (their own
        /// temporary names, untouched for a while, held open by no run): a killed run leaves no hidden file for good.
        /// </summary>
        private void RemoveLeftovers(string destination)
        {
            var now = DateTime.UtcNow;
            var leftovers = Leftovers.InDestination(destination, now).Concat(Leftovers.InStaging(_stagingDirectory!, now)).ToList();
            if (leftovers.Count == 0 || !ShouldProcess(destination, $"Remove {Counted.Files(leftovers.Count)} left by an earlier run that stopped while writing")) return;
            foreach (var leftover in leftovers)
            {
                if (Leftovers.TryRemove(leftover)) VerboseOutput.Write(this, $"Removed '{leftover}', left by an earlier run that stopped while writing it.");
            }
        }

        /// <summary>
        /// The folder of a -DestinationPath value, the same object for every record naming it; null with the error
        /// when the value is not a file system path or names a file.
        /// </summary>
        private DestinationDirectory? DestinationOf(string path, out ErrorRecord? refusal)
        {
            var resolved = FileSystemProvider.Resolve(SessionState.Path, path, out refusal);
            if (refusal != null) return null;
            var full = Path.GetFullPath(resolved!);
            if (_destinations.TryGetValue(full, out var known)) return known;
            if (File.Exists(full))
            {
                refusal = ErrorRecordFactory.DestinationNotADirectory(full);
                return null;
            }
            var destination = new DestinationDirectory(full);
            _destinations.Add(full, destination);
            return destination;
        }

        /// <summary>
        /// A path parameter through the session's current location and provider; a path of another provider stops the
        /// command (CodatFiles.NotFileSystemPath).
        /// </summary>
        private string FileSystemPathOf(string path)
        {
            var resolved = FileSystemProvider.Resolve(SessionState.Path, path, out var refusal);
            if (refusal != null) ThrowTerminatingError(refusal);
            return resolved!;
        }

        /// <summary>-TemporaryPath as a full file system path (it must exist), else the system temp folder.</summary>
        private string ResolveStagingDirectory()
        {
            if (TemporaryPath == null) return Path.GetTempPath();
            var resolved = FileSystemPathOf(TemporaryPath);
            if (!Directory.Exists(resolved)) ThrowTerminatingError(ErrorRecordFactory.TemporaryPathNotADirectory(resolved));
            return Path.GetFullPath(resolved);
        }

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            // After the workers were cancelled and waited for: a destination folder this call created for nothing.
            if (!disposing) return;
            foreach (var destination in _destinations.Values) destination.RemoveIfCreatedAndEmpty();
        }

        private void StartDownload(DownloadJob job)
        {
            if (AsArchive && !Force && File.Exists(ArchiveDownloader.ArchivePathOf(job)))
            {
                WriteFailure(ErrorRecordFactory.FileExists(ArchiveDownloader.ArchivePathOf(job)));
                return;
            }

            _progress!.AddPlanned(1, 0);
            var downloader = _downloader!;
            _pool!.Start(
                token => downloader.DownloadAsync(job, token),
                exception => Messages.WriteError(ErrorRecordFactory.FromException(exception, job.CompanyId, $"Download {job.Describe()}"),
                    AsArchive ? 1 : Math.Max(1, job.ListedFileCount)));
        }
    }
}
