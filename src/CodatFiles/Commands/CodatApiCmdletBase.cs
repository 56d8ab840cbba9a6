using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Security;
using System.Threading;
using CodatFiles.Client;
using CodatFiles.Connection;
using CodatFiles.Errors;
using CodatFiles.Pipeline;
using CodatFiles.Upload;

namespace CodatFiles.Commands
{
    /// <summary>
    /// Base of the cmdlets that call Codat: the -ApiKey, -Credential and -ServerUrl parameters, settings resolution and the
    /// cached client, Ctrl+C cancellation of every transfer, and (through its <see cref="WorkScope"/>) the loop that
    /// writes what worker tasks post (output, errors, verbose, progress) on the pipeline thread.
    /// </summary>
    public abstract class CodatApiCmdletBase : CodatCmdletBase, IDisposable
    {
        // Cancelled by StopProcessing (Ctrl+C), by a failure on the pipeline thread while work runs, and by Dispose.
        private readonly WorkScope _work = new WorkScope();
        private ConnectionSettings? _settings;
        private ClientCache.ClientLease? _lease;
        private bool _disposed;
        private readonly Stopwatch _elapsed = new Stopwatch();

        /// <summary>
        /// The Codat API key. Default: the key given to Connect-Codat, else the environment variable CODAT_API_KEY.
        /// </summary>
        [Parameter]
        [SecureApiKey]
        public SecureString? ApiKey { get; set; }

        /// <summary>The Codat API key as the password of a PSCredential (the user name is ignored), instead of -ApiKey.</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>
        /// Base URL of the Codat API, e.g. a local emulator. Default: Connect-Codat's value, else the environment
        /// variable CODAT_SERVER_URL, else https://api.codat.io.
        /// </summary>
        [Parameter]
        public Uri? ServerUrl { get; set; }

        /// <summary>Where posted output, errors and verbose messages wait for the pipeline thread.</summary>
        internal PipelineMessageQueue Messages => _work.Messages;

        /// <summary>The token every transfer of this call honours.</summary>
        internal CancellationToken StopToken => _work.Token;

        /// <summary>The shared client for this call's settings (valid after BeginProcessing).</summary>
        internal CodatFilesClient Client => _lease?.Client ?? throw new InvalidOperationException("BeginProcessing has not run.");

        /// <summary>This call's counts (files, bytes, requests, retries), for the progress bar and the summary.</summary>
        internal TransferTally Tally { get; } = new TransferTally();

        /// <summary>False when $ProgressPreference (or -ProgressAction) hides progress.</summary>
        internal bool ProgressEnabled { get; private set; }

        /// <summary>Resolves key, server and retry policy once, and takes a client from the cache.</summary>
        protected override void BeginProcessing()
        {
            _elapsed.Start();
            // Every error a worker posts is counted as it is written, so the summary's failures are the errors written.
            Messages.ErrorWritten = Tally.CountWrittenError;
            ConnectionSettings settings;
            try
            {
                settings = ConnectionSettingsResolver.Resolve(ConnectionSettingsResolver.KeyFromParameters(ApiKey, Credential), ServerUrl,
                    BoundRetryParameters, BoundProxyParameters, CodatSessionState.Effective());
            }
            catch (CodatSettingsException exception)
            {
                ThrowSettingsError(exception);
                return;
            }

            try
            {
                _lease = ClientCache.Shared.Acquire(settings);
            }
            catch (Exception exception) when (!(exception is PipelineStoppedException))
            {
                ThrowTerminatingError(ErrorRecordFactory.ClientCreationFailed(exception, settings.ServerUrl));
            }

            _settings = settings;
            ProgressEnabled = ReadProgressEnabled();
            VerboseOutput.Write(this, $"Using Codat at {UrlText.Of(settings.ServerUrl)}{ProxyDescription.Of(settings.Proxy)} ({RetryParameterTranslator.Describe(settings.Retry)}).");
        }

        /// <summary>Ctrl+C: cancels every transfer at once. Runs on another thread than the pipeline.</summary>
        protected override void StopProcessing()
        {
            _work.Cancel();
            base.StopProcessing();
        }

        /// <summary>
        /// Per-call options, assembled here once: this call's retry policy, a progress sink, retries reported as
        /// verbose messages and each HTTP exchange as a debug line (posted, because the client calls back on a worker
        /// thread), both counted in <see cref="Tally"/>, plus what this kind of call adds (<paramref name="also"/>).
        /// </summary>
        internal CodatCallOptions CreateCallOptions(string context, IProgress<TransferProgress>? progress, CallObservers? also) =>
            new CodatCallOptions
            {
                Retry = _settings?.Retry,
                Progress = progress,
                UploadBaseline = also?.UploadBaseline,
                OnRetry = retry =>
                {
                    also?.OnRetry?.Invoke(retry);
                    Tally.AddRetry();
                    RetryNotice.Post(Messages, context, retry);
                },
                OnHttpExchange = exchange =>
                {
                    also?.OnHttpExchange?.Invoke(exchange);
                    Tally.AddRequest();
                    Messages.WriteDebug(context + ": " + exchange);
                },
                OnAmbiguousAttempt = also?.OnAmbiguousAttempt ?? (report => AmbiguousAttemptNotice.Post(Messages, context, report)),
            };

        /// <summary>Per-call options with nothing added (see the overload).</summary>
        internal CodatCallOptions CreateCallOptions(string context, IProgress<TransferProgress>? progress) => CreateCallOptions(context, progress, null);

        /// <summary>
        /// Writes an error on the pipeline thread and counts the <paramref name="files"/> (at least one) it stands
        /// for as failed: the one way the cmdlets write a non-terminating error themselves (workers post theirs).
        /// </summary>
        internal void WriteFailure(ErrorRecord error, long files = 1, long bytes = 0)
        {
            WriteError(error);
            Tally.CountWrittenError(error, files, bytes);
        }

        /// <summary>
        /// Writes this call's totals as one record on the Information stream (pipeline thread, after the work),
        /// tagged CodatFiles.Summary and, as Write-Host does, PSHOST with a HostInformationMessage, so a console
        /// shows it by default; then, when anything failed, one warning with the counts, since some hosts (Azure
        /// Automation) show warnings but no Information stream.
        /// </summary>
        internal void WriteSummary()
        {
            var summary = Tally.ToSummary(MyInvocation.MyCommand.Name, _elapsed.Elapsed, UpToDateWords);
            WriteInformation(summary, new[] { CodatTransferSummary.Tag, CodatTransferSummary.HostTag });
            if (SummaryText.WarningOf(summary, UpToDateWords) is string warning) WriteWarning(warning);
        }

        /// <summary>How the summary words files already where they belong (<see cref="CodatTransferSummary.FilesUpToDate"/>).</summary>
        internal virtual string UpToDateWords => "up to date";

        /// <summary>A worker pool whose jobs use this call's cancellation and wake the pipeline thread when done.</summary>
        internal BoundedWorkerPool CreateWorkerPool(int maxConcurrency, int maxBacklog = int.MaxValue) => _work.CreatePool(maxConcurrency, maxBacklog);

        /// <summary>Writes what workers post until every pool has room for another job (see <see cref="BoundedWorkerPool.HasRoom"/>).</summary>
        internal void PumpUntilPoolsHaveRoom(TransferProgressReporter? progress) => _work.Pump(this, progress, PumpUntil.PoolsHaveRoom);

        /// <summary>Writes what workers posted so far, without waiting (e.g. between input records).</summary>
        internal void PumpAvailable(TransferProgressReporter? progress) => _work.Pump(this, progress, PumpUntil.Drained);

        /// <summary>Writes what workers post until every pool is idle (see <see cref="WorkScope.Pump"/>).</summary>
        internal void PumpUntilIdle(TransferProgressReporter? progress) => _work.Pump(this, progress, PumpUntil.Idle);

        /// <summary>
        /// After the work, when a transfer ended without an update showing how: waits until the next update is due
        /// (under 250 ms) and writes it, so the last thing its bar showed is where it ended.
        /// </summary>
        internal void WriteLastProgress(TransferProgressReporter progress) => _work.Pump(this, progress, PumpUntil.LastProgressShown);

        /// <summary>Cancels the workers and waits briefly for them after a failure on the pipeline thread (see <see cref="WorkScope.Abandon"/>).</summary>
        internal void AbandonWork(TransferProgressReporter? progress) => _work.Abandon(this, progress);

        /// <inheritdoc />
        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        /// <summary>Cancels what still runs, waits briefly for it to clean up, and returns the client to the cache.</summary>
        protected virtual void Dispose(bool disposing)
        {
            if (_disposed || !disposing) return;
            _disposed = true;
            _work.Dispose();
            _lease?.Dispose();
        }

        private bool ReadProgressEnabled()
        {
            // -ProgressAction (PowerShell 7.4+) wins over the $ProgressPreference variable in scope.
            object? value = MyInvocation.BoundParameters.TryGetValue("ProgressAction", out var bound)
                ? bound
                : SessionState.PSVariable.GetValue("ProgressPreference");
            if (value is PSObject wrapped) value = wrapped.BaseObject;

            ActionPreference preference;
            if (value is ActionPreference typed) preference = typed;
            else if (value is string text && Enum.TryParse(text, true, out ActionPreference parsed)) preference = parsed;
            else return true;

            return preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;
        }
    }
}
