using System;

namespace CodatFiles
{
    /// <summary>
    /// What Get-CodatContext writes: the connection settings a CodatFiles cmdlet given no -ApiKey, -ServerUrl,
    /// retry or proxy parameters would use now, and where they come from. Never the API key, only whether one is set.
    /// </summary>
    public sealed class CodatContext
    {
        /// <summary>The <see cref="Scope"/> of settings from the environment variables alone (no Connect-Codat).</summary>
        public const string EnvironmentScope = "Environment";

        /// <summary>The <see cref="Scope"/> when there is no key anywhere.</summary>
        public const string NoScope = "None";

        internal CodatContext(string scope, Uri serverUrl, bool apiKeySet, string apiKeySource, string keyCheck, string proxy,
            int maximumRetryCount, double retryIntervalSec, double timeoutSec)
        {
            Scope = scope;
            ServerUrl = serverUrl;
            ApiKeySet = apiKeySet;
            ApiKeySource = apiKeySource;
            KeyCheck = keyCheck;
            Proxy = proxy;
            MaximumRetryCount = maximumRetryCount;
            RetryIntervalSec = retryIntervalSec;
            TimeoutSec = timeoutSec;
        }

        /// <summary>Where the settings come from: Runspace or Process (Connect-Codat -Scope), Environment, or None.</summary>
        public string Scope { get; }

        /// <summary>The server calls go to.</summary>
        public Uri ServerUrl { get; }

        /// <summary>Whether a key is set (Connect-Codat or CODAT_API_KEY); the key itself is never shown.</summary>
        public bool ApiKeySet { get; }

        /// <summary>Where the key came from: Parameter or Credential (Connect-Codat), CODAT_API_KEY, or None.</summary>
        public string ApiKeySource { get; }

        /// <summary>
        /// What Connect-Codat's check found: Accepted, Unchecked (the server answered 429 or 5xx), Skipped
        /// (-SkipCheck), or NotChecked (a key from CODAT_API_KEY, or none).
        /// </summary>
        public string KeyCheck { get; }

        /// <summary>System (the system or environment proxy), None (-NoProxy), or the proxy's URL without user info.</summary>
        public string Proxy { get; }

        /// <summary>Retries after a failed attempt (2147483647: no fixed count within the one-hour budget).</summary>
        public int MaximumRetryCount { get; }

        /// <summary>Wait before the first retry, in seconds.</summary>
        public double RetryIntervalSec { get; }

        /// <summary>Time limit of one attempt, in seconds.</summary>
        public double TimeoutSec { get; }

        /// <inheritdoc />
        public override string ToString() => ServerUrl.ToString();
    }
}
