using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CodatFiles.Client;
using CodatFiles.Completion;
using CodatFiles.Errors;
using CodatFiles.Input;
using CodatFiles.Pipeline;
using CodatFiles.Upload;

namespace CodatFiles.Commands
{
    /// <summary>
    /// <para type="synopsis">Uploads files to a company's data connection in Codat.</para>
    /// <para type="description">
    /// Safe to run again: each company's files are listed once at the start, and a file Codat already holds is not
    /// sent again: one whose name is stored and whose last write time is not more than 2 s after the newest stored
    /// upload of that name (on Codat's clock). New names and newer versions are sent; -Force sends every file.
    /// Files are checked against Codat's limits, confirmed one by one (-WhatIf, -Confirm), sent in batches of up to
    /// -BatchSize files a request, with up to -ThrottleLimit requests at once per company (fewer while Codat answers
    /// 429), several companies at once, at most 50 requests in all. One result is written per uploaded file; a
    /// failure of the whole call or company is one error listing its files. At the end, one summary of the call,
    /// shown like Write-Host's output, and a warning with the counts when anything failed.
    /// </para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Send, "CodatFile", DefaultParameterSetName = LiteralPathParameterSet,
        SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SendCodatFileResult))]
    public sealed class SendCodatFileCommand : CodatApiCmdletBase
    {
        private const string PathParameterSet = "Path";
        private const string LiteralPathParameterSet = "LiteralPath";

        private UploadInputs? _inputs;
        private UploadBatcher? _batcher;
        private readonly StoredNameRegistry _storedNames = new StoredNameRegistry();

        // Full batches waiting for EndProcessing because the user is being asked about each file (see BeginProcessing).
        private readonly List<UploadBatch> _batchesHeldForConfirmation = new List<UploadBatch>();
        private bool _holdBatchesUntilAllConfirmed;
        private BoundedWorkerPool? _pool;
        private TransferProgressReporter? _progress;
        private BatchUploader? _uploader;
        private CompanyConcurrency? _concurrency;
        private readonly DuplicateInputs _duplicates = new DuplicateInputs();
        private CompanyStartLists? _startLists;
        private ReRunFilter? _reRun;
        private ReRunBeforeAsking? _reRunBeforeAsking;
        private UploadReconciler? _reconciler;
        private QuotaWatch? _quota;

        // Batches queued or in flight before reading more input waits: twice the call's cap, so the cap stays full.
        private const int MaxBatchesQueued = 2 * CompanyConcurrency.MaxRequestsPerCall;

        /// <summary>Files to upload. Wildcards are expanded. Accepts strings, and objects with a Path property, from the pipeline.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathParameterSet,
            ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [PathPropertyTransformation]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>
        /// Files to upload, used exactly as written (no wildcards). Piped files bind here through their PSPath
        /// (Get-ChildItem) or FullName (a bare FileInfo, such as the TargetObject of a failed upload's error).
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathParameterSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>The company to upload to. Tab completion offers the company ids used in this session.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CompanyIdCompleter))]
        public Guid CompanyId { get; set; }

        /// <summary>The company's data connection to upload to. Tab completion offers the connection ids used in this session.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ConnectionIdCompleter))]
        public Guid ConnectionId { get; set; }

        /// <summary>
        /// Directories given (or piped) stand for the files beneath them, in every subfolder, instead of being
        /// reported as errors, and a wildcard path also finds the matching files in every subfolder (acme/*.pdf),
        /// as Get-ChildItem -Recurse does. Hidden files and folders are left out, as without -Force.
        /// </summary>
        [Parameter]
        public SwitchParameter Recurse { get; set; }

        /// <summary>Only files whose name matches this provider filter (* and ? only, case-insensitive), as Get-ChildItem -Filter.</summary>
        [Parameter]
        [SupportsWildcards]
        public string? Filter { get; set; }

        /// <summary>Only files whose name matches one of these wildcards, as Get-ChildItem -Include.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? Include { get; set; }

        /// <summary>Leaves out files whose name matches one of these wildcards, as Get-ChildItem -Exclude.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? Exclude { get; set; }

        /// <summary>Most files sent in one request (1 to 20, Codat's limit). Default 20.</summary>
        [Parameter]
        [ValidateRange(1, CodatUploadLimits.MaxFilesPerRequest)]
        public int BatchSize { get; set; } = CodatUploadLimits.MaxFilesPerRequest;

        /// <summary>Most requests in flight at once per company (1 to 10). Default 10, Codat's limit.</summary>
        [Parameter]
        [ValidateRange(1, CompanyConcurrency.CodatLimitPerCompany)]
        public int ThrottleLimit { get; set; } = CompanyConcurrency.CodatLimitPerCompany;

        /// <summary>
        /// Send every file, also those Codat already holds (the name stored, and the file not written later than the
        /// newest stored upload of it plus 2 s). Codat keeps every upload and cannot delete one, so each is stored again.
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>
        /// Skip every file whose name the company already holds, whatever the times: a stricter re-run rule than the
        /// default, for names that must be stored once. A skipped file that looks newer than the stored one is a
        /// warning naming it. Names are compared in Unicode NFC, case-sensitively. Cannot be used with -Force.
        /// </summary>
        [Parameter]
        public SwitchParameter SkipExisting { get; set; }

        /// <summary>
        /// Confirm every upload against the company's file list at the end of the call: results are written only then,
        /// with Verified set. Without it, that check runs only for companies where an attempt got no answer.
        /// </summary>
        [Parameter]
        public SwitchParameter Verify { get; set; }

        /// <summary>Prepares the batcher, the worker pool and the progress bars.</summary>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _inputs = new UploadInputs(SessionState, new FileNameFilter(Filter, Include, Exclude), Recurse.IsPresent);
            _batcher = new UploadBatcher(BatchSize);
            _concurrency = new CompanyConcurrency(ThrottleLimit, TimeProvider.System);
            _pool = CreateWorkerPool(CompanyConcurrency.MaxRequestsPerCall, maxBacklog: MaxBatchesQueued);
            _progress = new TransferProgressReporter("Uploading files to Codat", "files", ThrottleLimit, ProgressEnabled, Tally);
            _quota = new QuotaWatch(Messages);
            var quota = _quota;
            // Every company of the call is listed once before its first batch, whatever the switches (CompanyStartLists).
            _startLists = new CompanyStartLists(Client, (companyId, context) => CreateCallOptions(context, null, new CallObservers { OnHttpExchange = quota.OnAnswer }),
                Messages.WriteVerbose);
            _reRun = new ReRunFilter(ReRunModeOf(), Client.ToServerClock, Tally);
            // Every -Confirm prompt must come before any transfer, so when prompts are possible full batches wait
            // until the last file was confirmed instead of starting as soon as they fill.
            _holdBatchesUntilAllConfirmed = ConfirmationModes.PromptsPossible(this, ConfirmImpact.Medium);
            var whatIf = ConfirmationModes.IsWhatIf(this);
            // Under -WhatIf or -Confirm the re-run rule runs before each question or preview line, on this thread.
            if (whatIf || _holdBatchesUntilAllConfirmed)
            {
                _reRunBeforeAsking = new ReRunBeforeAsking(this, _startLists, _reRun, whatIf, (job, onFailure) =>
                {
                    _pool.Start(job, onFailure);
                    PumpUntilIdle(_progress);
                });
            }
            var startList = new StartListCheck(_startLists, Messages, _reRunBeforeAsking is null ? _reRun : null);
            _reconciler = new UploadReconciler(Messages, Tally, Verify.IsPresent);
            _uploader = new BatchUploader(Client, Messages, _progress, CreateCallOptions, _concurrency, startList, _reconciler, _quota);
        }

        private ReRunMode ReRunModeOf()
        {
            if (Force && SkipExisting) ThrowTerminatingError(ErrorRecordFactory.ForceWithSkipExisting());
            return Force ? ReRunMode.SendAll : SkipExisting ? ReRunMode.SkipStoredNames : ReRunMode.SendNewer;
        }

        /// <summary>Resolves, checks and confirms each file; starts a batch as soon as it is full.</summary>
        protected override void ProcessRecord()
        {
            SessionIdHistory.ForCurrentRunspace().RecordConnection(CompanyId, ConnectionId);
            try
            {
                QueueInput();
            }
            catch (Exception exception) when (!(exception is PipelineStoppedException))
            {
                // E.g. WriteError under -ErrorAction Stop: uploads already started must not run on unobserved.
                AbandonWork(_progress);
                throw;
            }

            PumpAvailable(_progress);
        }

        private void QueueInput()
        {
            var literal = ParameterSetName == LiteralPathParameterSet;
            foreach (var path in literal ? LiteralPath : Path)
            {
                // All files of one path (a whole tree with -Recurse) are checked before any of them is queued, so
                // the warnings about names that collide come before any of those files is sent.
                var files = _inputs!.Checked(path, literal, CompanyId, ConnectionId, FailBeforeSending, note => VerboseOutput.Write(this, note));
                foreach (var file in files)
                {
                    if (_storedNames.Register(CompanyId, file) is string other) WriteWarning(StoredNameRegistry.Collision(other, file, CompanyId));
                }

                foreach (var file in files)
                {
                    if (_duplicates.IsRepeat(CompanyId, ConnectionId, file.FullName))
                    {
                        VerboseOutput.Write(this, $"'{file.FullName}' was given more than once for company {CompanyId}, connection {ConnectionId}: it is sent once.");
                        continue;
                    }

                    _reRun!.CountLocal(CompanyId, file);
                    if (_reRunBeforeAsking?.Offer(CompanyId, file) == false) continue;

                    // On the pipeline thread and before any transfer, so -WhatIf and -Confirm decide per file.
                    if (!ShouldProcess(file.FullName, $"Upload to Codat company {CompanyId}, connection {ConnectionId}"))
                    {
                        Tally.AddSkipped(1, file.Length);
                        continue;
                    }

                    _progress!.AddPlanned(1, file.Length);
                    var fullBatch = _batcher!.Add(CompanyId, ConnectionId, file);
                    if (fullBatch == null) continue;
                    if (_holdBatchesUntilAllConfirmed) _batchesHeldForConfirmation.Add(fullBatch);
                    else StartUpload(fullBatch);
                }
            }
        }

        /// <summary>An input that is not sent because of a local problem: counted, then its error written.</summary>
        private void FailBeforeSending(ErrorRecord error, long bytes)
        {
            _progress!.AddFailedBeforeTransfer(1);
            WriteFailure(error, 1, bytes);
        }

        /// <summary>Sends the partly filled batches, writes results until every upload finished, then the summary.</summary>
        protected override void EndProcessing()
        {
            try
            {
                foreach (var batch in _batchesHeldForConfirmation) StartUpload(batch);
                _batchesHeldForConfirmation.Clear();
                foreach (var batch in _batcher!.Flush()) StartUpload(batch);
                PumpUntilIdle(_progress);
                // Only when the call ended normally: after Ctrl+C or a stopping error nothing more runs.
                var client = Client;
                _reconciler!.StartChecks(_startLists!, _pool!, _concurrency!, (companyId, token) =>
                    client.ListFilesAsync(companyId, CreateCallOptions($"Listing the files of company {companyId} at the end of the call", null), token));
                PumpUntilIdle(_progress);
                WriteWholeCallFailures();
                foreach (var warning in _reRun!.SameNameWarnings()) WriteWarning(warning);
            }
            finally
            {
                _progress?.Complete(this);
            }
            WriteSummary();
        }

        internal override string UpToDateWords => "already stored";

        /// <summary>One error per failure that stopped the call, a company or a connection, covering all the files it kept from Codat.</summary>
        private void WriteWholeCallFailures()
        {
            foreach (var stop in _uploader!.Stops.All)
            {
                var files = stop.Files;
                WriteFailure(ErrorRecordFactory.WholeCallFailed(stop), files.Count, files.Sum(file => file.Length));
            }
        }

        private void StartUpload(UploadBatch batch)
        {
            // Input is read far faster than it uploads: past the backlog, wait (writing results meanwhile) instead
            // of holding every file of a large call in memory at once.
            if (!_pool!.HasRoom) PumpUntilPoolsHaveRoom(_progress);
            _quota!.BatchQueued(batch.CompanyId);
            _startLists!.Queued(batch);
            var uploader = _uploader!;
            _pool!.Start(
                token => uploader.UploadAsync(batch, token),
                exception =>
                {
                    // UploadAsync handles its own failures; this only runs if something unforeseen happened.
                    BatchFailureErrors.Post(Messages, exception, batch.Files);
                },
                // The company's own (adaptive) limit is waited for first, so batches held back by it never take
                // a place under the call's overall cap that another company's batch could use.
                _concurrency!.For(batch.CompanyId));
        }
    }
}
