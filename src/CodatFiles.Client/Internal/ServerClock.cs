using System;
using System.Net.Http;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// What the client knows of Codat's clock: the range its offset from ours can lie in, narrowed by the
    /// <c>Date</c> header of each Codat-shaped answer (<see cref="CodatAnswerShape"/>). Codat stamps <c>uploaded</c>
    /// on its own clock, so every comparison with an upload time is made on this estimate, never on ours.
    /// </summary>
    /// <remarks>
    /// <c>Date</c> is the server's time, in whole seconds, when it wrote the answer: after the request left and
    /// before the answer arrived. So the server read D to D+1 s while our clock read from "sent" to "received",
    /// and the offset lies in [D − received, D + 1 s − sent). Answers at other sub-second phases narrow it; one
    /// that does not overlap what is known (the server's clock was set) replaces it. Thread-safe.
    /// </remarks>
    internal sealed class ServerClock
    {
        private readonly object _gate = new object();
        private readonly TimeProvider _time;
        private TimeSpan _offsetLow;
        private TimeSpan _offsetHigh;
        private bool _known;

        public ServerClock(TimeProvider time)
        {
            _time = time;
        }

        /// <summary>Our clock now (the client's TimeProvider).</summary>
        public DateTimeOffset ClientNow() => _time.GetUtcNow();

        /// <summary>Takes in one answer's Date, if the answer is Codat's own (a proxy's or gateway's clock says nothing).</summary>
        public void Observe(HttpResponseMessage response, DateTimeOffset sentAt, DateTimeOffset receivedAt)
        {
            if (response.Headers.Date is DateTimeOffset date && CodatAnswerShape.IsCodats(response))
            {
                Observe(date, sentAt, receivedAt);
            }
        }

        public void Observe(DateTimeOffset date, DateTimeOffset sentAt, DateTimeOffset receivedAt)
        {
            var low = date - receivedAt;
            var high = date + TimeSpan.FromSeconds(1) - sentAt;
            lock (_gate)
            {
                if (_known && low < _offsetHigh && high > _offsetLow)
                {
                    _offsetLow = low > _offsetLow ? low : _offsetLow;
                    _offsetHigh = high < _offsetHigh ? high : _offsetHigh;
                }
                else
                {
                    (_offsetLow, _offsetHigh, _known) = (low, high, true);
                }
            }
        }

        /// <summary>
        /// The latest time Codat's clock can have read when ours read <paramref name="clientTime"/>; null before
        /// any Codat answer carried a Date.
        /// </summary>
        public DateTimeOffset? LatestServerTimeAt(DateTimeOffset clientTime)
        {
            lock (_gate)
            {
                return _known ? clientTime + _offsetHigh : (DateTimeOffset?)null;
            }
        }

        /// <summary>
        /// What Codat's clock read (the middle of the known range) when ours read <paramref name="clientTime"/>;
        /// null before any Codat answer carried a Date.
        /// </summary>
        public DateTimeOffset? ServerTimeAt(DateTimeOffset clientTime)
        {
            lock (_gate)
            {
                return _known ? clientTime + TimeSpan.FromTicks((_offsetLow.Ticks + _offsetHigh.Ticks) / 2) : (DateTimeOffset?)null;
            }
        }

        /// <summary>Codat's clock now, as best known (the middle of the range); our clock when nothing is known.</summary>
        public DateTimeOffset ServerNow()
        {
            var now = ClientNow();
            return ServerTimeAt(now) ?? now;
        }
    }
}
