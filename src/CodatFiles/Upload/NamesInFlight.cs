using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace CodatFiles.Upload
{
    /// <summary>
    /// At most one upload of a name per company unanswered at once: a batch holding a name the other has waits
    /// until that upload call returned. Then the count of a name's entries can only change by the upload in flight,
    /// so after a lost answer the client cannot credit one file with another's entry. Names are taken in ordinal
    /// order, so two batches can never each hold a name the other waits for.
    /// </summary>
    internal sealed class NamesInFlight
    {
        private readonly object _gate = new object();
        private readonly Dictionary<(Guid Company, string Name), SemaphoreSlim> _locks = new Dictionary<(Guid Company, string Name), SemaphoreSlim>();

        /// <summary>Waits until none of <paramref name="names"/> is in flight for the company, then holds them until disposed.</summary>
        public async Task<IDisposable> HoldAsync(Guid companyId, IEnumerable<string> names, CancellationToken cancellationToken)
        {
            var held = new List<SemaphoreSlim>();
            try
            {
                foreach (var name in names.Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal))
                {
                    var gate = LockFor(companyId, name);
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    held.Add(gate);
                }
            }
            catch
            {
                foreach (var gate in held) gate.Release();
                throw;
            }

            return new Release(held);
        }

        private SemaphoreSlim LockFor(Guid companyId, string name)
        {
            lock (_gate)
            {
                if (!_locks.TryGetValue((companyId, name), out var gate)) _locks.Add((companyId, name), gate = new SemaphoreSlim(1, 1));
                return gate;
            }
        }

        private sealed class Release : IDisposable
        {
            private List<SemaphoreSlim>? _held;

            public Release(List<SemaphoreSlim> held) => _held = held;

            public void Dispose()
            {
                var held = Interlocked.Exchange(ref _held, null);
                if (held != null) foreach (var gate in held) gate.Release();
            }
        }
    }
}
