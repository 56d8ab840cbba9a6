using System;
using System.Collections.Generic;
using CodatFiles.Pipeline;

namespace CodatFiles.Upload
{
    /// <summary>
    /// The concurrency of one Send-CodatFile call: an adaptive limit per company (Codat counts concurrent requests
    /// per company, so one company's 429s say nothing about another's), each capped by -ThrottleLimit, all under
    /// <see cref="MaxRequestsPerCall"/>.
    /// </summary>
    internal sealed class CompanyConcurrency
    {
        /// <summary>
        /// Most requests one call keeps in flight across all its companies: five companies at Codat's 10 each. The
        /// client's HTTP handler must allow at least this many connections to one host, or requests would queue there.
        /// </summary>
        public const int MaxRequestsPerCall = 50;

        /// <summary>Codat's documented limit of concurrent requests per company, the default cap.</summary>
        public const int CodatLimitPerCompany = 10;

        private readonly object _gate = new object();
        private readonly Dictionary<Guid, AdaptiveConcurrencyLimit> _limits = new Dictionary<Guid, AdaptiveConcurrencyLimit>();
        private readonly int _capPerCompany;
        private readonly TimeProvider _time;

        /// <param name="capPerCompany">-ThrottleLimit: the most requests one company may have in flight.</param>
        /// <param name="time">The clock of the 429 episodes (<see cref="TimeProvider.System"/> in the module).</param>
        public CompanyConcurrency(int capPerCompany, TimeProvider time)
        {
            _capPerCompany = capPerCompany;
            _time = time;
        }

        /// <summary>The company's limit, created at the cap on first use (from the pipeline or a worker thread).</summary>
        public AdaptiveConcurrencyLimit For(Guid companyId)
        {
            lock (_gate)
            {
                if (!_limits.TryGetValue(companyId, out var limit))
                {
                    limit = new AdaptiveConcurrencyLimit(_capPerCompany, _time);
                    _limits.Add(companyId, limit);
                }
                return limit;
            }
        }
    }
}
