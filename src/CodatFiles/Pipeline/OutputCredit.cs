using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;

namespace CodatFiles.Pipeline
{
    /// <summary>
    /// How many objects a worker may have posted that the pipeline thread has not written yet. A worker that
    /// produces faster than the pipeline consumes (a long list piped to a slow command) waits for credit instead of
    /// filling the queue, so the call's memory stays bounded by the credit, not by what the worker produces.
    /// Never disposed: a worker that is being abandoned may still wait on it, and it holds no OS resource.
    /// </summary>
    [SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification =
        "Never disposed on purpose (see the summary): an abandoned worker may still wait on the SemaphoreSlim, " +
        "which holds no OS handle unless AvailableWaitHandle is read.")]
    internal sealed class OutputCredit
    {
        private readonly SemaphoreSlim _slots;

        public OutputCredit(int capacity)
        {
            _slots = new SemaphoreSlim(capacity, capacity);
        }

        /// <summary>Worker: waits until one more object may be posted.</summary>
        public Task TakeAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

        /// <summary>Pipeline thread: one posted object has been written.</summary>
        public void Return() => _slots.Release();
    }
}
