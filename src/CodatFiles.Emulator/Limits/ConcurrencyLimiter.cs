namespace CodatFiles.Emulator.Limits;

/// <summary>
/// Codat's "10 concurrent requests per company": counts requests in flight per company and refuses one more.
/// Keyed by the company id text of the path, so even malformed ids are counted while they are served.
/// </summary>
internal sealed class ConcurrencyLimiter
{
    private readonly int _maxPerCompany;
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _gate = new();

    public ConcurrencyLimiter(int maxPerCompany) => _maxPerCompany = maxPerCompany;

    /// <summary>Takes a slot, or returns null when the company already has the maximum in flight.</summary>
    public IDisposable? TryEnter(string companyKey)
    {
        lock (_gate)
        {
            _inFlight.TryGetValue(companyKey, out var count);
            if (count >= _maxPerCompany)
            {
                return null;
            }
            _inFlight[companyKey] = count + 1;
            return new Slot(this, companyKey);
        }
    }

    private void Leave(string companyKey)
    {
        lock (_gate)
        {
            if (_inFlight.TryGetValue(companyKey, out var count) && count > 1)
            {
                _inFlight[companyKey] = count - 1;
            }
            else
            {
                _inFlight.Remove(companyKey);
            }
        }
    }

    private sealed class Slot(ConcurrencyLimiter owner, string companyKey) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Leave(companyKey);
            }
        }
    }
}
