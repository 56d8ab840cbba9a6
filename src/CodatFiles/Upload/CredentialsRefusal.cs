using System;
using System.Collections.Concurrent;
using System.Threading;
using CodatFiles.Client;
using CodatFiles.Errors;

namespace CodatFiles.Upload
{
    /// <summary>
    /// Remembers Codat's refusals of one call's key, for every worker of that call (thread-safe), so batches that
    /// would only repeat a refusal are not sent. A 401 refuses the key itself: every request of the call carries it,
    /// so it stops the whole call. A 403 refuses the key for one resource (Codat: "a key not associated with that
    /// resource"), so it stops only the batches of that company; one call may upload to several companies. A spent
    /// daily quota (a 429 past the retry budget, see ErrorRecordFactory.IsQuotaSpent) stops the whole call like a
    /// 401: the quota belongs to the key, shared by all its companies, so until it resets every request gets a 429.
    /// </summary>
    internal sealed class CredentialsRefusal
    {
        private readonly ConcurrentDictionary<Guid, CodatApiException> _companyRefusals = new ConcurrentDictionary<Guid, CodatApiException>();
        private CodatApiException? _keyRefusal;

        /// <summary>The refusal that rules out sending to <paramref name="companyId"/>, or null while there is none.</summary>
        public CodatApiException? RefusalFor(Guid companyId) =>
            Volatile.Read(ref _keyRefusal) ?? (_companyRefusals.TryGetValue(companyId, out var refusal) ? refusal : null);

        /// <summary>
        /// Records <paramref name="exception"/> when it is a 401 or a spent quota, or a 403 for <paramref name="companyId"/>, and
        /// nothing of that scope was recorded before; true only for the call that recorded it, so each refusal is
        /// announced once.
        /// </summary>
        public bool TryRecord(Exception exception, Guid companyId)
        {
            if (!(exception is CodatApiException api)) return false;
            return api.Kind switch
            {
                CodatErrorKind.Unauthorized => Interlocked.CompareExchange(ref _keyRefusal, api, null) == null,
                CodatErrorKind.Forbidden => _companyRefusals.TryAdd(companyId, api),
                CodatErrorKind.TooManyRequests when ErrorRecordFactory.IsQuotaSpent(api) => Interlocked.CompareExchange(ref _keyRefusal, api, null) == null,
                _ => false,
            };
        }
    }
}
