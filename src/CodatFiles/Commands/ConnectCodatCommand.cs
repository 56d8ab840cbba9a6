using System;
using System.Management.Automation;
using System.Security;
using CodatFiles.Connection;
using CodatFiles.Errors;

namespace CodatFiles.Commands
{
    /// <summary>
    /// <para type="synopsis">Stores the Codat API key, server and retry defaults for the current PowerShell session (runspace).</para>
    /// <para type="description">The other CodatFiles cmdlets use these when they are not given -ApiKey, -ServerUrl or the retry parameters.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Codat")]
    [OutputType(typeof(CodatConnectionInfo))]
    public sealed class ConnectCodatCommand : CodatCmdletBase
    {
        /// <summary>The Codat API key, as a SecureString (e.g. from Read-Host -AsSecureString or a secret vault).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        public SecureString ApiKey { get; set; } = null!;

        /// <summary>Base URL of the Codat API. Default: the environment variable CODAT_SERVER_URL, else https://api.codat.io.</summary>
        [Parameter(Position = 1)]
        public Uri? ServerUrl { get; set; }

        /// <summary>Writes the effective settings (without the key).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Stores the defaults in the runspace's session state.</summary>
        protected override void EndProcessing()
        {
            if (ApiKey.Length == 0) ThrowTerminatingError(ErrorRecordFactory.NoApiKey());

            var session = CodatSessionState.ForCurrentRunspace();
            var retry = BoundRetryParameters;
            Uri effectiveServer;
            try
            {
                if (ServerUrl != null) ConnectionSettingsResolver.Validate(ServerUrl, "-ServerUrl");
                session.Set(ApiKey, ServerUrl, retry);
                effectiveServer = ConnectionSettingsResolver.ResolveServerUrl(null, session.Current);
            }
            catch (CodatSettingsException exception)
            {
                ThrowSettingsError(exception);
                return;
            }

            WriteVerbose($"Stored the Codat API key and {effectiveServer} as defaults of this session; Disconnect-Codat forgets them.");
            if (PassThru)
            {
                // What later calls will really use: values not given here are the client's defaults.
                var policy = RetryParameterTranslator.Translate(retry);
                WriteObject(CodatConnectionInfo.FromPolicy(effectiveServer, CodatConnectionInfo.ParameterSource, policy));
            }
        }
    }
}
