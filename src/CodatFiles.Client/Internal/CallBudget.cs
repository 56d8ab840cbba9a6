using System;
using System.Diagnostics;
using System.Threading;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// The one owner of MaxElapsedTime: the call's clock, and a token that fires when the budget runs out, so an
    /// attempt in flight is cut off then. <see cref="RetryDecision"/> reads the same clock to refuse a wait that
    /// would end past the budget.
    /// </summary>
    internal sealed class CallBudget : IDisposable
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly CancellationTokenSource _timer = new CancellationTokenSource();

        public CallBudget(TimeSpan maxElapsedTime)
        {
            _timer.CancelAfter(TimerLimits.Clamp(maxElapsedTime));
        }

        public TimeSpan Elapsed => _clock.Elapsed;

        /// <summary>Cancelled when MaxElapsedTime has passed.</summary>
        public CancellationToken Token => _timer.Token;

        public bool RanOut => _timer.IsCancellationRequested;

        public void Dispose() => _timer.Dispose();
    }
}
