using System;
using System.Management.Automation;
using System.Security;
using CodatFiles.Client;
using CodatFiles.Errors;

namespace CodatFiles.Connection
{
    /// <summary>
    /// The one place that decides a cmdlet's key, server, retry policy and proxy. Each setting is taken from the
    /// cmdlet's own parameters, else from Connect-Codat's defaults (the runspace's, else the process's), else from the
    /// environment (CODAT_API_KEY, CODAT_SERVER_URL; the system or environment proxy), else the built-in default
    /// (https://api.codat.io; the client's retry policy).
    /// </summary>
    internal static class ConnectionSettingsResolver
    {
        public const string ApiKeyVariable = "CODAT_API_KEY";
        public const string ServerUrlVariable = "CODAT_SERVER_URL";

        /// <summary>
        /// Resolves the settings, or throws <see cref="CodatSettingsException"/> carrying the terminating ErrorRecord.
        /// <c>session</c> is Connect-Codat's defaults of the cmdlet's runspace, null when there are none.
        /// </summary>
        public static ConnectionSettings Resolve(SecureString? apiKeyParameter, Uri? serverUrlParameter, RetryParameters retryParameters,
            ProxyParameters proxyParameters, SessionDefaults? session)
        {
            var apiKey = ResolveApiKey(apiKeyParameter, session);
            var serverUrl = ResolveServerUrl(serverUrlParameter, session);
            var retry = ResolveRetry(retryParameters, session);
            var proxy = proxyParameters.ToOptions() ?? session?.Proxy ?? CodatProxyOptions.System;
            return new ConnectionSettings(serverUrl, apiKey, retry, proxy);
        }

        /// <summary>
        /// The key of -ApiKey or -Credential (whose password is the key; the user name is ignored), or null when
        /// neither was given. Throws when both were.
        /// </summary>
        public static SecureString? KeyFromParameters(SecureString? apiKey, PSCredential? credential)
        {
            if (apiKey != null && credential != null) throw new CodatSettingsException(ErrorRecordFactory.AmbiguousApiKey());
            return apiKey ?? credential?.Password;
        }

        /// <summary>The server URL only: used by Connect-Codat, which takes the key as a parameter.</summary>
        public static Uri ResolveServerUrl(Uri? serverUrlParameter, SessionDefaults? session)
        {
            if (serverUrlParameter != null) return Validate(serverUrlParameter, "-ServerUrl");
            if (session?.ServerUrl != null) return session.ServerUrl;

            var fromEnvironment = Environment.GetEnvironmentVariable(ServerUrlVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                if (!Uri.TryCreate(fromEnvironment!.Trim(), UriKind.Absolute, out var parsed))
                {
                    throw new CodatSettingsException(ErrorRecordFactory.InvalidServerUrl(UrlText.Of(fromEnvironment), "the environment variable " + ServerUrlVariable,
                        CodatClientOptions.ServerUrlProblem(null)!));
                }
                return Validate(parsed, "the environment variable " + ServerUrlVariable);
            }

            return CodatClientOptions.DefaultServerUrl;
        }

        /// <summary>
        /// Checks that a URL can be a server, by the client's own rule (<see cref="CodatClientOptions.ServerUrlProblem"/>:
        /// https, or plain http to a loopback host only). Throws the terminating error otherwise, before any request.
        /// </summary>
        public static Uri Validate(Uri url, string source)
        {
            if (CodatClientOptions.ServerUrlProblem(url) is string problem)
            {
                throw new CodatSettingsException(ErrorRecordFactory.InvalidServerUrl(UrlText.Of(url), source, problem));
            }
            return url;
        }

        private static SecureString ResolveApiKey(SecureString? apiKeyParameter, SessionDefaults? session)
        {
            if (apiKeyParameter != null && apiKeyParameter.Length > 0) return apiKeyParameter;
            if (session != null && session.ApiKey.Length > 0) return session.ApiKey;

            var fromEnvironment = Environment.GetEnvironmentVariable(ApiKeyVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment!.Trim().ToSecureString();

            throw new CodatSettingsException(ErrorRecordFactory.NoApiKey());
        }

        private static CodatRetryOptions ResolveRetry(RetryParameters retryParameters, SessionDefaults? session)
        {
            var effective = session == null ? retryParameters : retryParameters.Or(session.Retry);
            return RetryParameterTranslator.Translate(effective);
        }
    }

    /// <summary>A setting problem that stops every item; the cmdlet throws its ErrorRecord as a terminating error.</summary>
    internal sealed class CodatSettingsException : Exception
    {
        public CodatSettingsException(ErrorRecord errorRecord)
            : base(errorRecord.Exception.Message, errorRecord.Exception)
        {
            ErrorRecord = errorRecord;
        }

        public ErrorRecord ErrorRecord { get; }
    }
}
