using System;
using System.Management.Automation;
using CodatFiles.Client;
using CodatFiles.Connection;

namespace CodatFiles.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows the Codat connection settings the CodatFiles cmdlets use now, without the API key.</para>
    /// <para type="description">Server, where the settings come from (Connect-Codat's runspace or process scope, or the environment), whether a key is set and how Connect-Codat's check went, the proxy and the retry options.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CodatContext")]
    [OutputType(typeof(CodatContext))]
    public sealed class GetCodatContextCommand : PSCmdlet
    {
        /// <summary>Writes the context a cmdlet of this runspace would use.</summary>
        protected override void EndProcessing()
        {
            var runspace = CodatSessionState.ForCurrentRunspace().Current;
            var session = runspace ?? CodatSessionState.Process.Current;
            try
            {
                WriteObject(Describe(session, runspace != null ? ConnectionScope.Runspace : ConnectionScope.Process));
            }
            catch (CodatSettingsException exception)
            {
                // CODAT_SERVER_URL holds something that is no server URL: the same error a call would give.
                ThrowTerminatingError(exception.ErrorRecord);
            }
        }

        private static CodatContext Describe(SessionDefaults? session, string sessionScope)
        {
            var server = ConnectionSettingsResolver.ResolveServerUrl(null, session);
            var retry = RetryParameterTranslator.Translate(session?.Retry ?? new RetryParameters(null, null, null));
            var proxy = DescribeProxy(session?.Proxy ?? CodatProxyOptions.System);
            string scope, source, check;
            if (session != null)
            {
                (scope, source, check) = (sessionScope, session.ApiKeySource, session.KeyCheck);
            }
            else if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ConnectionSettingsResolver.ApiKeyVariable)))
            {
                (scope, source, check) = (CodatContext.EnvironmentScope, ConnectionSettingsResolver.ApiKeyVariable, KeyChecks.NotChecked);
            }
            else
            {
                (scope, source, check) = (CodatContext.NoScope, CodatContext.NoScope, KeyChecks.NotChecked);
            }

            return new CodatContext(scope, server, source != CodatContext.NoScope, source, check, proxy,
                retry.MaxRetryAttempts, retry.InitialInterval.TotalSeconds, retry.PerAttemptTimeout.TotalSeconds);
        }

        /// <summary>System, None, or the proxy's URL without user info (and whether a credential answers it).</summary>
        private static string DescribeProxy(CodatProxyOptions proxy)
        {
            switch (proxy.Mode)
            {
                case CodatProxyMode.None:
                    return "None";
                case CodatProxyMode.Explicit when proxy.Address != null:
                    var address = proxy.Address.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
                    return proxy.Credential != null ? address + " (-ProxyCredential)"
                        : proxy.UseDefaultCredentials ? address + " (-ProxyUseDefaultCredentials)"
                        : address;
                default:
                    return "System";
            }
        }
    }
}
