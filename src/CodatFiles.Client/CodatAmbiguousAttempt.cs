using System;
using System.Collections.Generic;

namespace CodatFiles.Client
{
    /// <summary>
    /// An upload attempt failed after its whole request was sent, with no answer (the connection dropped or the
    /// attempt timed out): Codat may have stored its files. Before re-sending, the client listed the company's
    /// files once; this says what it found and what it re-sends.
    /// </summary>
    public sealed class CodatAmbiguousAttempt
    {
        /// <summary>Creates the event.</summary>
        public CodatAmbiguousAttempt(int failedAttempt, IReadOnlyList<string> foundStored, IReadOnlyList<string> resending, string? listFailure)
        {
            FailedAttempt = failedAttempt;
            FoundStored = foundStored;
            Resending = resending;
            ListFailure = listFailure;
        }

        /// <summary>The attempt whose outcome was unknown (1 is the first).</summary>
        public int FailedAttempt { get; }

        /// <summary>Files the list showed stored under their name since the attempt began: not sent again.</summary>
        public IReadOnlyList<string> FoundStored { get; }

        /// <summary>Files sent again.</summary>
        public IReadOnlyList<string> Resending { get; }

        /// <summary>
        /// Why the list failed, when it did: then every file is re-sent, and those the failed attempt did store are
        /// now stored twice.
        /// </summary>
        public string? ListFailure { get; }
    }
}
