using System;
using CodatFiles.Client;

namespace CodatFiles
{
    /// <summary>
    /// The settings later cmdlets get from Connect-Codat, as written by Connect-Codat -PassThru: the effective
    /// values, built-in defaults included. The API key is never part of it, only where it came from.
    /// </summary>
    public sealed class CodatConnectionInfo
    {
        /// <summary>The <see cref="ApiKeySource"/> of a key given to Connect-Codat's -ApiKey parameter.</summary>
        public const string ParameterSource = "Parameter";

        /// <summary>The <see cref="ApiKeySource"/> of a key given as Connect-Codat's -Credential.</summary>
        public const string CredentialSource = "Credential";

        internal CodatConnectionInfo(Uri serverUrl, string apiKeySource, int maximumRetryCount, double retryIntervalSec, double timeoutSec)
        {
            ServerUrl = serverUrl;
            ApiKeySource = apiKeySource;
            MaximumRetryCount = maximumRetryCount;
            RetryIntervalSec = retryIntervalSec;
            TimeoutSec = timeoutSec;
        }

        /// <summary>
        /// The effective policy in the units of the cmdlet parameters (retries, seconds). Kept internal so the
        /// public surface shows no client type.
        /// </summary>
        internal static CodatConnectionInfo FromPolicy(Uri serverUrl, string apiKeySource, CodatRetryOptions retry) =>
            new CodatConnectionInfo(serverUrl, apiKeySource, retry.MaxRetryAttempts,
                retry.InitialInterval.TotalSeconds, retry.PerAttemptTimeout.TotalSeconds);

        /// <summary>The server the other cmdlets use when they are not given -ServerUrl.</summary>
        public Uri ServerUrl { get; }

        /// <summary>Where the stored API key came from (Parameter); the key itself is never shown.</summary>
        public string ApiKeySource { get; }

        /// <summary>Retries after a failed attempt that calls without their own -MaximumRetryCount use.</summary>
        public int MaximumRetryCount { get; }

        /// <summary>Wait before the first retry, in seconds, that calls without their own -RetryIntervalSec use.</summary>
        public double RetryIntervalSec { get; }

        /// <summary>Time limit of one attempt, in seconds, that calls without their own -TimeoutSec use.</summary>
        public double TimeoutSec { get; }

        /// <inheritdoc />
        public override string ToString() => Connection.UrlText.Of(ServerUrl);
    }
}
