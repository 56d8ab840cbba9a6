using System;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using System.Security;
using System.Threading;
using CodatFiles.Client;

namespace CodatFiles.Connection
{
    /// <summary>
    /// The defaults Connect-Codat stores and Disconnect-Codat clears, kept per runspace by default: hosts such as
    /// ForEach-Object -Parallel, Azure Functions, PowerShell Universal or Jupyter run many runspaces in one
    /// process, each with its own user or tenant, and one runspace's Connect-Codat must not change another's key.
    /// Connect-Codat -Scope Process opts into one slot for the whole process (<see cref="Process"/>), which every
    /// runspace without defaults of its own falls back to, so ForEach-Object -Parallel works after one connect.
    /// </summary>
    internal sealed class CodatSessionState
    {
        // Weak keys: a closed runspace is collected together with the key it held.
        private static readonly ConditionalWeakTable<object, CodatSessionState> ByRunspace =
            new ConditionalWeakTable<object, CodatSessionState>();

        // A host that calls a cmdlet on a thread without a default runspace still gets a working (shared) slot.
        private static readonly object NoRunspace = new object();

        private SessionDefaults? _current;

        /// <summary>The process-wide slot of Connect-Codat -Scope Process.</summary>
        public static CodatSessionState Process { get; } = new CodatSessionState();

        private CodatSessionState()
        {
        }

        /// <summary>
        /// The state of the runspace that runs the calling cmdlet. Call on the pipeline thread, where PowerShell
        /// sets <see cref="Runspace.DefaultRunspace"/> to the cmdlet's runspace.
        /// </summary>
        public static CodatSessionState ForCurrentRunspace() =>
            ByRunspace.GetValue(Runspace.DefaultRunspace ?? NoRunspace, _ => new CodatSessionState());

        /// <summary>
        /// The defaults a cmdlet of the current runspace uses: the runspace's own, else the process's, else null.
        /// Call on the pipeline thread (see <see cref="ForCurrentRunspace"/>).
        /// </summary>
        public static SessionDefaults? Effective() => ForCurrentRunspace().Current ?? Process.Current;

        /// <summary>The stored defaults, or null when Connect-Codat was not run here (or Disconnect-Codat ran since).</summary>
        public SessionDefaults? Current => Volatile.Read(ref _current);

        /// <summary>Replaces the stored defaults. The key is copied and made read-only, so the caller's instance can be disposed.</summary>
        public void Set(SecureString apiKey, string apiKeySource, Uri? serverUrl, RetryParameters retry, CodatProxyOptions? proxy, string keyCheck)
        {
            var copy = apiKey.Copy();
            copy.MakeReadOnly();
            // The previous key is not disposed: a cmdlet that resolved it may still be creating its client.
            Volatile.Write(ref _current, new SessionDefaults(copy, apiKeySource, serverUrl, retry, proxy, keyCheck));
        }

        /// <summary>Forgets the stored defaults. Returns whether there were any.</summary>
        public bool Clear() => Interlocked.Exchange(ref _current, null) != null;
    }

    /// <summary>An immutable snapshot of Connect-Codat's settings.</summary>
    internal sealed class SessionDefaults
    {
        public SessionDefaults(SecureString apiKey, string apiKeySource, Uri? serverUrl, RetryParameters retry, CodatProxyOptions? proxy, string keyCheck)
        {
            ApiKey = apiKey;
            ApiKeySource = apiKeySource;
            KeyCheck = keyCheck;
            ServerUrl = serverUrl;
            Retry = retry;
            Proxy = proxy;
        }

        public SecureString ApiKey { get; }

        /// <summary>How Connect-Codat was given the key: Parameter (-ApiKey) or Credential.</summary>
        public string ApiKeySource { get; }

        /// <summary>What Connect-Codat's check found (see <see cref="KeyChecks"/>).</summary>
        public string KeyCheck { get; }

        public Uri? ServerUrl { get; }

        public RetryParameters Retry { get; }

        /// <summary>Connect-Codat's proxy, or null when it stated none (then the system or environment proxy applies).</summary>
        public CodatProxyOptions? Proxy { get; }
    }

    /// <summary>The KeyCheck values Get-CodatContext shows: what Connect-Codat's check found.</summary>
    internal static class KeyChecks
    {
        /// <summary>Codat answered the check as it does only for a key it accepts.</summary>
        public const string Accepted = "Accepted";

        /// <summary>The server answered 429 or 5xx: it is there, the key is unchecked.</summary>
        public const string Unchecked = "Unchecked";

        /// <summary>Connect-Codat -SkipCheck.</summary>
        public const string Skipped = "Skipped";

        /// <summary>The key comes from CODAT_API_KEY, which Connect-Codat never saw.</summary>
        public const string NotChecked = "NotChecked";
    }
}
