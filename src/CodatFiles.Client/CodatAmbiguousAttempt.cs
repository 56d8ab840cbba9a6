using System;
using System.Collections.Generic;

namespace CodatFiles.Client
{
    /// <summary>
    /// An upload attempt failed after its whole request was sent, with no answer (the connection dropped or the
    /// attempt timed out) or with a 500, 502 or 504 (a gateway may answer so while Codat commits): Codat may have
    /// stored its files. Before re-sending, the client listed the company's files once; this says what the list
    /// proved stored and what it re-sends. Every file re-sent may end up stored twice (a commit can also land
    /// after the list), so a caller should warn about each one when told.
    /// </summary>
    public sealed class CodatAmbiguousAttempt
    {
        /// <summary>Creates the event.</summary>
        public CodatAmbiguousAttempt(int failedAttempt, IReadOnlyList<string> foundStored, IReadOnlyList<string> resending, string? listFailure,
            string? doubt = null)
        {
            Doubt = doubt;
            FailedAttempt = failedAttempt;
            FoundStored = foundStored;
            Resending = resending;
            ListFailure = listFailure;
        }

        /// <summary>The attempt whose outcome was unknown (1 is the first).</summary>
        public int FailedAttempt { get; }

        /// <summary>
        /// Files the list proved stored by the attempt (a new entry of the name beyond what was known, uploaded
        /// since the attempt began on Codat's clock): not sent again.
        /// </summary>
        public IReadOnlyList<string> FoundStored { get; }

        /// <summary>Files sent again.</summary>
        public IReadOnlyList<string> Resending { get; }

        /// <summary>
        /// Why the list failed, when it did: then every file is re-sent, and those the failed attempt did store are
        /// now stored twice.
        /// </summary>
        public string? ListFailure { get; }

        /// <summary>Why <see cref="Resending"/> could not be proven stored, as a phrase; null when nothing is re-sent.</summary>
        public string? Doubt { get; }
    }
}
