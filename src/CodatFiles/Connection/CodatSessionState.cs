using System;
using System.Security;

namespace CodatFiles.Connection
{
    /// <summary>
    /// The defaults Connect-Codat stores and Disconnect-Codat clears. Module-static, so it is shared by every
    /// runspace of the process (as Az and AWS.Tools session credentials are); a lock keeps reads consistent.
    /// </summary>
    internal static class CodatSessionState
    {
        private static readonly object Gate = new object();
        private static SessionDefaults? _current;

        /// <summary>Replaces the stored defaults. The key is copied and made read-only, so the caller's instance can be disposed.</summary>
        public static void Set(SecureString apiKey, Uri? serverUrl, RetryParameters retry)
        {
            var copy = apiKey.Copy();
            copy.MakeReadOnly();
            SessionDefaults? previous;
            lock (Gate)
            {
                previous = _current;
                _current = new SessionDefaults(copy, serverUrl, retry);
            }
            // Not disposed: a cmdlet running in another runspace may be reading the previous key right now.
            _ = previous;
        }

        /// <summary>Forgets the stored defaults. Returns whether there were any.</summary>
        public static bool Clear()
        {
            lock (Gate)
            {
                var had = _current != null;
                _current = null;
                return had;
            }
        }

        /// <summary>The stored defaults, or null when Connect-Codat was not run (or Disconnect-Codat ran since).</summary>
        public static SessionDefaults? Current
        {
            get { lock (Gate) return _current; }
        }
    }

    /// <summary>An immutable snapshot of Connect-Codat's settings.</summary>
    internal sealed class SessionDefaults
    {
        public SessionDefaults(SecureString apiKey, Uri? serverUrl, RetryParameters retry)
        {
            ApiKey = apiKey;
            ServerUrl = serverUrl;
            Retry = retry;
        }

        public SecureString ApiKey { get; }

        public Uri? ServerUrl { get; }

        public RetryParameters Retry { get; }
    }
}
