using System;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;

namespace CodatFiles.Pipeline
{
    /// <summary>
    /// Runs transfer jobs as tasks, at most <c>maxConcurrency</c> at once (a SemaphoreSlim gate), all under the
    /// cmdlet's cancellation token. Jobs queue up as soon as they are known; the gate decides when they start. A job
    /// may also have to pass a gate of its own first (e.g. its company's limit): it enters that one before the pool's,
    /// so jobs held back by their own gate never take a place in the pool that another job could use.
    /// No exception escapes a job: an unhandled one goes to the job's failure handler, and if that throws too it
    /// is swallowed, because an exception on a thread-pool thread would end the PowerShell process. Cancellation
    /// through the pool's own token (Ctrl+C, a failing pipeline) is not a failure and never reaches the handler.
    /// </summary>
    [SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification =
        "The gate is never disposed on purpose (see the constructor): a job may still release it after the cmdlet " +
        "is gone, and a SemaphoreSlim holds no OS handle unless AvailableWaitHandle is read.")]
    internal sealed class BoundedWorkerPool
    {
        private readonly SemaphoreSlim _gate;
        private readonly PipelineMessageQueue _queue;
        private readonly CancellationToken _cancellationToken;
        private readonly int _maxBacklog;
        private int _pending;

        /// <param name="maxConcurrency">Jobs running at once.</param>
        /// <param name="queue">Woken whenever a job ends.</param>
        /// <param name="cancellationToken">Given to every job.</param>
        /// <param name="maxBacklog">Jobs queued or running beyond which <see cref="HasRoom"/> is false, so the caller
        /// waits before queuing more (input read far ahead of the transfers would only pile up in memory).</param>
        public BoundedWorkerPool(int maxConcurrency, PipelineMessageQueue queue, CancellationToken cancellationToken, int maxBacklog = int.MaxValue)
        {
            _maxBacklog = maxBacklog;
            // Not disposed on purpose: a job may still release it after the cmdlet is gone, and SemaphoreSlim
            // holds no OS handle unless AvailableWaitHandle is used.
            _gate = new SemaphoreSlim(maxConcurrency, maxConcurrency);
            _queue = queue;
            _cancellationToken = cancellationToken;
        }

        /// <summary>True when every job that was started has finished.</summary>
        public bool IsIdle => Volatile.Read(ref _pending) == 0;

        /// <summary>True while fewer jobs than the backlog limit are queued or running.</summary>
        public bool HasRoom => Volatile.Read(ref _pending) < _maxBacklog;

        /// <summary>
        /// Queues a job. <paramref name="onUnhandled"/> gets any exception the job itself did not handle, except
        /// cancellation after the pool's token was cancelled. <paramref name="ownGate"/>, when given, is entered
        /// before the pool's gate and left after the job.
        /// </summary>
        public void Start(Func<CancellationToken, Task> job, Action<Exception> onUnhandled, IConcurrencyGate? ownGate = null)
        {
            Interlocked.Increment(ref _pending);
            Task.Run(() => RunAsync(job, onUnhandled, ownGate));
        }

        private async Task RunAsync(Func<CancellationToken, Task> job, Action<Exception> onUnhandled, IConcurrencyGate? ownGate)
        {
            var admitted = false;
            var entered = false;
            try
            {
                if (ownGate != null)
                {
                    await ownGate.EnterAsync(_cancellationToken).ConfigureAwait(false);
                    admitted = true;
                }
                await _gate.WaitAsync(_cancellationToken).ConfigureAwait(false);
                entered = true;
                await job(_cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_cancellationToken.IsCancellationRequested)
            {
                // Stopped: nothing to report, the pipeline is going away.
            }
            catch (Exception exception)
            {
                try
                {
                    onUnhandled(exception);
                }
                catch (Exception)
                {
                    // Last line of defence: see the class comment.
                }
            }
            finally
            {
                if (entered) _gate.Release();
                if (admitted) ownGate!.Leave();
                Interlocked.Decrement(ref _pending);
                _queue.Signal();
            }
        }
    }
}
