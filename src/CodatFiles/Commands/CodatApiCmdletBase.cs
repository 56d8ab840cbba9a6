using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using System.Security;
using System.Threading;
using CodatFiles.Client;
using CodatFiles.Connection;
using CodatFiles.Errors;
using CodatFiles.Pipeline;

namespace CodatFiles.Commands
{
    /// <summary>
    /// Base of the cmdlets that call Codat: the -ApiKey and -ServerUrl parameters, settings resolution and the
    /// cached client, Ctrl+C cancellation of every transfer, and the loop that writes what worker tasks post
    /// (output, errors, verbose, progress) on the pipeline thread.
    /// </summary>
    public abstract class CodatApiCmdletBase : CodatCmdletBase, IDisposable
    {
        private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(250);
        private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(10);

        // Cancelled by StopProcessing (Ctrl+C), by a terminating error while work runs, and by Dispose. Never
        // disposed: worker tasks may still observe its token after the cmdlet is gone, and it holds no OS resource.
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly List<BoundedWorkerPool> _pools = new List<BoundedWorkerPool>();
        private ConnectionSettings? _settings;
        private ClientCache.ClientLease? _lease;
        private bool _disposed;

        /// <summary>
        /// The Codat API key. Default: the key given to Connect-Codat, else the environment variable CODAT_API_KEY.
        /// </summary>
        [Parameter]
        public SecureString? ApiKey { get; set; }

        /// <summary>
        /// Base URL of the Codat API, e.g. a local emulator. Default: Connect-Codat's value, else the environment
        /// variable CODAT_SERVER_URL, else https://api.codat.io.
        /// </summary>
        [Parameter]
        public Uri? ServerUrl { get; set; }

        /// <summary>Where posted output, errors and verbose messages wait for the pipeline thread.</summary>
        internal PipelineMessageQueue Messages { get; } = new PipelineMessageQueue();

        /// <summary>The token every transfer of this call honours.</summary>
        internal CancellationToken StopToken => _stopping.Token;

        /// <summary>The shared client for this call's settings (valid after BeginProcessing).</summary>
        internal CodatFilesClient Client => _lease?.Client ?? throw new InvalidOperationException("BeginProcessing has not run.");

        /// <summary>False when $ProgressPreference (or -ProgressAction) hides progress.</summary>
        internal bool ProgressEnabled { get; private set; }

        /// <summary>Resolves key, server and retry policy once, and takes a client from the cache.</summary>
        protected override void BeginProcessing()
        {
            ConnectionSettings settings;
            try
            {
                settings = ConnectionSettingsResolver.Resolve(ApiKey, ServerUrl, BoundRetryParameters, CodatSessionState.ForCurrentRunspace().Current);
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
            WriteVerbose($"Using Codat at {settings.ServerUrl} ({RetryParameterTranslator.Describe(settings.Retry)}).");
        }

        /// <summary>Ctrl+C: cancels every transfer at once. Runs on another thread than the pipeline.</summary>
        protected override void StopProcessing()
        {
            CancelWork();
            base.StopProcessing();
        }

        /// <summary>
        /// Per-call options: this call's retry policy, a progress sink, and retries reported as verbose
        /// messages (posted, because the client calls back on a worker thread).
        /// </summary>
        internal CodatCallOptions CreateCallOptions(string context, IProgress<TransferProgress>? progress) =>
            new CodatCallOptions
            {
                Retry = _settings?.Retry,
                Progress = progress,
                // The context already names the call, so the client's operation id is left out.
                OnRetry = retry => Messages.WriteVerbose(context + ": " + retry.Describe()),
            };

        /// <summary>A worker pool whose jobs use this call's cancellation and wake the pipeline thread when done.</summary>
        internal BoundedWorkerPool CreateWorkerPool(int maxConcurrency)
        {
            var pool = new BoundedWorkerPool(maxConcurrency, Messages, StopToken);
            _pools.Add(pool);
            return pool;
        }

        /// <summary>Writes what workers posted so far, without waiting (e.g. between input records).</summary>
        internal void PumpAvailable(TransferProgressReporter? progress)
        {
            try
            {
                ThrowIfStopping();
                Messages.Drain(this);
                progress?.WriteIfDue(this);
            }
            catch
            {
                AbandonWork(progress);
                throw;
            }
        }

        /// <summary>
        /// Writes what workers post until every pool is idle, waking when the next progress update is due (at
        /// least every 250 ms). If writing fails (-ErrorAction Stop, a stopped pipeline) the remaining work is
        /// cancelled first.
        /// </summary>
        internal void PumpUntilIdle(TransferProgressReporter? progress)
        {
            try
            {
                while (true)
                {
                    ThrowIfStopping();
                    Messages.Drain(this);
                    progress?.WriteIfDue(this);
                    if (AllPoolsIdle())
                    {
                        // Jobs post before they count as finished, so this drain sees their last messages.
                        Messages.Drain(this);
                        return;
                    }
                    Messages.WaitForMessages(TimeUntilNextWake(progress));
                }
            }
            catch
            {
                AbandonWork(progress);
                throw;
            }
        }

        /// <summary>
        /// After the work, when a transfer ended without an update showing how: waits until the next update is due
        /// (under 250 ms) and writes it, so the last thing its bar showed is where it ended.
        /// </summary>
        internal void WriteLastProgress(TransferProgressReporter progress)
        {
            if (!progress.HasUnshownEnding) return;
            try
            {
                // A message can end the wait early, before the update is due: then wait for the rest.
                while (progress.TimeUntilWriteDue > TimeSpan.Zero)
                {
                    ThrowIfStopping();
                    Messages.WaitForMessages(progress.TimeUntilWriteDue);
                    Messages.Drain(this);
                }
                progress.WriteIfDue(this);
            }
            catch
            {
                AbandonWork(progress);
                throw;
            }
        }

        /// <summary>
        /// Never longer than the reporter's next due time: a fixed 250 ms wait begun after a message woke the
        /// thread just short of the due time would hold that update back by almost a whole further period.
        /// </summary>
        private static TimeSpan TimeUntilNextWake(TransferProgressReporter? progress)
        {
            if (progress == null) return PumpInterval;
            var due = progress.TimeUntilWriteDue;
            return due < PumpInterval ? due : PumpInterval;
        }

        /// <summary>Cancels this call's transfers.</summary>
        internal void CancelWork()
        {
            try
            {
                _stopping.Cancel();
            }
            catch (AggregateException)
            {
                // A callback registered on the token threw; the cancellation itself happened.
            }
        }

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
            AbandonWork(null);
            _lease?.Dispose();
            Messages.Dispose();
        }

        private void ThrowIfStopping()
        {
            if (_stopping.IsCancellationRequested) throw new PipelineStoppedException();
        }

        /// <summary>
        /// For a failure on the pipeline thread (-ErrorAction Stop, Ctrl+C, a downstream Select-Object -First):
        /// cancels the workers, gives them a moment to delete partial files, writes nothing they post, and closes
        /// the progress bars if the pipeline still accepts it.
        /// </summary>
        internal void AbandonWork(TransferProgressReporter? progress)
        {
            var stoppedByUser = _stopping.IsCancellationRequested;
            CancelWork();
            var waited = Stopwatch.StartNew();
            while (!AllPoolsIdle() && waited.Elapsed < StopGracePeriod)
            {
                Messages.WaitForMessages(TimeSpan.FromMilliseconds(50));
            }
            Messages.Discard();
            if (progress == null || stoppedByUser) return;
            try
            {
                progress.Complete(this);
            }
            catch (Exception)
            {
                // Already failing with the exception that brought us here; that one is what the user must see.
            }
        }

        private bool AllPoolsIdle()
        {
            foreach (var pool in _pools)
            {
                if (!pool.IsIdle) return false;
            }
            return true;
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
