using System;
using System.Threading;
using CodatFiles.Client;

namespace CodatFiles.Upload
{
    /// <summary>
    /// Remembers the first 401 or 403 answer of one call, for every worker of that call (thread-safe). Every
    /// request of a call carries the same key, so once Codat refused it, sending the other batches would only
    /// repeat the refusal, one request and failed sign-in per batch.
    /// </summary>
    internal sealed class CredentialsRefusal
    {
        private CodatApiException? _refusal;

        /// <summary>The first refusal of the call, or null while there was none.</summary>
        public CodatApiException? Refusal => Volatile.Read(ref _refusal);

        /// <summary>
        /// Records <paramref name="exception"/> when it is a 401 or 403 and none was recorded before; true only
        /// for the call that recorded it, so the refusal is announced once.
        /// </summary>
        public bool TryRecord(Exception exception) =>
            exception is CodatApiException api
            && (api.Kind == CodatErrorKind.Unauthorized || api.Kind == CodatErrorKind.Forbidden)
            && Interlocked.CompareExchange(ref _refusal, api, null) == null;
    }
}
