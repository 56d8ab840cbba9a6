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

        public CompanyConcurrency(int capPerCompany)
        {
            _capPerCompany = capPerCompany;
        }

        /// <summary>The company's limit, created at the cap on first use (from the pipeline or a worker thread).</summary>
        public AdaptiveConcurrencyLimit For(Guid companyId)
        {
            lock (_gate)
            {
                if (!_limits.TryGetValue(companyId, out var limit))
                {
                    limit = new AdaptiveConcurrencyLimit(_capPerCompany);
                    _limits.Add(companyId, limit);
                }
                return limit;
            }
        }
    }
}
