using System;
using System.Threading;
using System.Threading.Tasks;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// The one owner of MaxElapsedTime: the call's monotonic clock, and a token that fires when the budget runs
    /// out, so an attempt in flight is cut off then. <see cref="RetryDecision"/> reads the same clock to refuse a
    /// wait that would end past the budget. Both come from the client's <see cref="TimeProvider"/>, so a test can
    /// run a whole budget on a fake clock.
    /// </summary>
    internal sealed class CallBudget : IDisposable
    {
        private readonly TimeProvider _time;
        private readonly long _started;
        private readonly CancellationTokenSource _timer;

        public CallBudget(TimeProvider time, TimeSpan maxElapsedTime)
        {
            _time = time;
            _started = time.GetTimestamp();
            _timer = time.CreateCancellationTokenSource(TimerLimits.Clamp(maxElapsedTime));
        }

        /// <summary>Time since the call started, on the monotonic clock (never moved by a change of the wall clock).</summary>
        public TimeSpan Elapsed => _time.GetElapsedTime(_started);

        /// <summary>Cancelled when MaxElapsedTime has passed.</summary>
        public CancellationToken Token => _timer.Token;

        public bool RanOut => _timer.IsCancellationRequested;

        public void Dispose() => _timer.Dispose();
    }
}
