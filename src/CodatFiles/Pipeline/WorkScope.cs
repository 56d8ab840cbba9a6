using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;

namespace CodatFiles.Pipeline
{
    /// <summary>How long <see cref="WorkScope.Pump"/> keeps writing.</summary>
    internal enum PumpUntil
    {
        /// <summary>Only what was posted so far (e.g. between input records).</summary>
        Drained,

        /// <summary>Until every worker pool is idle, with everything they posted written.</summary>
        Idle,

        /// <summary>Until no bar still shows a transfer that ended without an update saying how (under 250 ms).</summary>
        LastProgressShown,

        /// <summary>Until every worker pool has room under its backlog limit (see <see cref="BoundedWorkerPool.HasRoom"/>).</summary>
        PoolsHaveRoom,
    }

    /// <summary>
    /// The work one cmdlet call runs on workers: its cancellation (Ctrl+C, a failing pipeline, Dispose), its worker
    /// pools, and the queue they post to. The pipeline thread writes what they post with the one pump loop,
    /// <see cref="Pump"/>; when anything fails on that thread, the one abandon step, <see cref="Abandon"/>, cancels
    /// the workers and gives them a moment to clean up.
    /// </summary>
    internal sealed class WorkScope : IDisposable
    {
        // The longest a waiting pump sleeps: it then looks at the pipeline's own stop flag (see Pump), well inside
        // the 1 s in which Ctrl+C must return.
        private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(100);
        private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(10);

        // Never disposed: worker tasks may still observe its token after the cmdlet is gone, and it holds no OS
        // resource.
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly List<BoundedWorkerPool> _pools = new List<BoundedWorkerPool>();

        /// <summary>Where posted output, errors and verbose messages wait for the pipeline thread.</summary>
        public PipelineMessageQueue Messages { get; } = new PipelineMessageQueue();

        /// <summary>The token every transfer of the call honours.</summary>
        public CancellationToken Token => _stopping.Token;

        /// <summary>A worker pool whose jobs use this scope's cancellation and wake the pipeline thread when done.</summary>
        public BoundedWorkerPool CreatePool(int maxConcurrency, int maxBacklog = int.MaxValue)
        {
            var pool = new BoundedWorkerPool(maxConcurrency, Messages, Token, maxBacklog);
            _pools.Add(pool);
            return pool;
        }

        /// <summary>Cancels the call's transfers (any thread).</summary>
        public void Cancel()
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

        /// <summary>
        /// Pipeline thread: writes what workers post and the progress bars, waking when the next update is due (at
        /// least every 100 ms), until <paramref name="until"/> holds. If writing fails (-ErrorAction Stop, a stopped
        /// pipeline) or the call was stopped, the work is abandoned and the exception goes on.
        /// </summary>
        /// <remarks>
        /// The call counts as stopped when <see cref="Cancel"/> ran (StopProcessing) or when the pipeline itself says
        /// it is stopping (<see cref="Cmdlet.Stopping"/>). The second is needed: once a Select-Object -First upstream
        /// has ended the upstream commands (StopUpstreamCommandsException), PowerShell marks the pipeline as stopping
        /// internally and a later Ctrl+C or PowerShell.Stop() no longer calls StopProcessing, while this cmdlet's
        /// EndProcessing still drains its transfers. Nothing else tells it then, unless a progress record happens to
        /// be written, so the pump looks at the flag each time it wakes.
        /// </remarks>
        public void Pump(PSCmdlet cmdlet, TransferProgressReporter? progress, PumpUntil until)
        {
            try
            {
                while (true)
                {
                    if (_stopping.IsCancellationRequested || cmdlet.Stopping) throw new PipelineStoppedException();
                    Messages.Drain(cmdlet);
                    progress?.WriteIfDue(cmdlet);
                    if (IsDone(until, progress))
                    {
                        // Jobs post before they count as finished, so this drain sees their last messages.
                        if (until == PumpUntil.Idle) Messages.Drain(cmdlet);
                        return;
                    }
                    Messages.WaitForMessages(TimeUntilNextWake(progress));
                }
            }
            catch
            {
                Abandon(cmdlet, progress);
                throw;
            }
        }

        /// <summary>
        /// For a failure on the pipeline thread (-ErrorAction Stop, Ctrl+C, a downstream Select-Object -First):
        /// cancels the workers, gives them a moment to delete partial files, writes nothing they post, and closes
        /// the progress bars if the pipeline still accepts it.
        /// </summary>
        public void Abandon(Cmdlet? cmdlet, TransferProgressReporter? progress)
        {
            var stoppedByUser = _stopping.IsCancellationRequested || (cmdlet?.Stopping ?? false);
            Cancel();
            var waited = Stopwatch.StartNew();
            while (!AllPoolsIdle() && waited.Elapsed < StopGracePeriod)
            {
                Messages.WaitForMessages(TimeSpan.FromMilliseconds(50));
            }
            Messages.Discard();
            if (cmdlet == null || progress == null || stoppedByUser) return;
            try
            {
                progress.Complete(cmdlet);
            }
            catch (Exception)
            {
                // Already failing with the exception that brought us here; that one is what the user must see.
            }
        }

        /// <summary>Abandons what still runs and releases the queue.</summary>
        public void Dispose()
        {
            Abandon(null, null);
            Messages.Dispose();
        }

        private bool IsDone(PumpUntil until, TransferProgressReporter? progress)
        {
            switch (until)
            {
                case PumpUntil.Drained: return true;
                case PumpUntil.Idle: return AllPoolsIdle();
                case PumpUntil.PoolsHaveRoom: return AllPoolsHaveRoom();
                default: return progress == null || !progress.HasUnshownEnding;
            }
        }

        /// <summary>
        /// Never longer than the reporter's next due time: a fixed wait begun after a message woke the
        /// thread just short of the due time would hold that update back by almost a whole further period.
        /// </summary>
        private static TimeSpan TimeUntilNextWake(TransferProgressReporter? progress)
        {
            if (progress == null) return PumpInterval;
            var due = progress.TimeUntilWriteDue;
            return due < PumpInterval ? due : PumpInterval;
        }

        private bool AllPoolsHaveRoom()
        {
            foreach (var pool in _pools)
            {
                if (!pool.HasRoom) return false;
            }
            return true;
        }

        private bool AllPoolsIdle()
        {
            foreach (var pool in _pools)
            {
                if (!pool.IsIdle) return false;
            }
            return true;
        }
    }
}
