using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace CodatFiles.Pipeline
{
    /// <summary>
    /// How many requests one company may have in flight, adapted to what the server accepts (AIMD, as TCP does):
    /// it starts at the cap; each 429 halves it (multiplicative decrease, never below 1), and each success adds
    /// 1/limit (additive increase: one more request after a whole limit's worth of successes), never above the cap.
    /// All 429s of one congestion episode count once: after a decrease, further 429s are ignored until the wait the
    /// server asked for (Retry-After) has passed, so a burst of refusals of requests sent together halves only once.
    /// Requests already in flight are never cut off: a lower limit only holds back new ones.
    /// </summary>
    internal sealed class AdaptiveConcurrencyLimit : IConcurrencyGate
    {
        private static readonly TimeSpan MinimumEpisode = TimeSpan.FromMilliseconds(100);

        private readonly object _gate = new object();
        private readonly Queue<TaskCompletionSource<bool>> _waiting = new Queue<TaskCompletionSource<bool>>();
        private readonly TimeProvider _time;
        private readonly long _started;
        private readonly int _cap;
        private double _limit;
        private int _inFlight;
        private TimeSpan _episodeEndsAt = TimeSpan.MinValue;

        public AdaptiveConcurrencyLimit(int cap, TimeProvider time)
        {
            if (cap < 1) throw new ArgumentOutOfRangeException(nameof(cap), cap, "The cap must be at least 1.");
            _time = time;
            _started = time.GetTimestamp();
            _cap = cap;
            _limit = cap;
        }

        /// <summary>Requests allowed in flight now (1 to the cap).</summary>
        public int CurrentLimit
        {
            get { lock (_gate) return WholeLimit; }
        }

        private int WholeLimit => Math.Max(1, (int)Math.Floor(_limit + 1e-9));

        /// <inheritdoc />
        public async Task EnterAsync(CancellationToken cancellationToken)
        {
            TaskCompletionSource<bool> admission;
            lock (_gate)
            {
                if (_waiting.Count == 0 && _inFlight < WholeLimit)
                {
                    _inFlight++;
                    return;
                }
                // Continuations run on the thread pool, never inline under this lock.
                admission = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Enqueue(admission);
            }
            // A cancelled admission stays in the queue and is skipped when its turn comes (TrySetResult fails).
            using (cancellationToken.Register(() => admission.TrySetCanceled()))
            {
                await admission.Task.ConfigureAwait(false);
            }
        }

        /// <inheritdoc />
        public void Leave()
        {
            lock (_gate)
            {
                _inFlight--;
                AdmitWhileRoom();
            }
        }

        /// <summary>A request succeeded: additive increase.</summary>
        public void RecordSuccess()
        {
            lock (_gate)
            {
                _limit = Math.Min(_cap, _limit + 1.0 / Math.Max(1.0, _limit));
                AdmitWhileRoom();
            }
        }

        /// <summary>
        /// The server refused a request with 429 and asked for <paramref name="retryDelay"/>: multiplicative decrease,
        /// once per episode. Returns the new limit when it was lowered, null when this 429 belonged to an episode
        /// already counted.
        /// </summary>
        public int? RecordThrottled(TimeSpan retryDelay)
        {
            lock (_gate)
            {
                var now = _time.GetElapsedTime(_started);
                if (now < _episodeEndsAt) return null;
                _episodeEndsAt = now + (retryDelay > MinimumEpisode ? retryDelay : MinimumEpisode);
                _limit = Math.Max(1.0, _limit / 2);
                return WholeLimit;
            }
        }

        /// <summary>Under the lock: lets queued requests in while the limit has room.</summary>
        private void AdmitWhileRoom()
        {
            while (_inFlight < WholeLimit && _waiting.Count > 0)
            {
                if (_waiting.Dequeue().TrySetResult(true)) _inFlight++;
            }
        }
    }
}
