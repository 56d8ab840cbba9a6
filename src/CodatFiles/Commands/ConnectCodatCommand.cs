using System;
using System.Management.Automation;
using System.Security;
using CodatFiles.Pipeline;
using CodatFiles.Connection;
using CodatFiles.Errors;

namespace CodatFiles.Commands
{
    /// <summary>
    /// <para type="synopsis">Stores the Codat API key, server, retry and proxy defaults for the current PowerShell session (runspace), or for the whole process.</para>
    /// <para type="description">The other CodatFiles cmdlets use these when they are not given -ApiKey, -Credential, -ServerUrl, the retry or the proxy parameters.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Codat", DefaultParameterSetName = ApiKeySet)]
    [OutputType(typeof(CodatConnectionInfo))]
    public sealed class ConnectCodatCommand : CodatCmdletBase
    {
        private const string ApiKeySet = "ApiKey";
        private const string CredentialSet = "Credential";

        /// <summary>The Codat API key, as a SecureString (e.g. from Read-Host -AsSecureString or a secret vault).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ApiKeySet)]
        [ValidateNotNull]
        [SecureApiKey]
        public SecureString ApiKey { get; set; } = null!;

        /// <summary>The Codat API key as the password of a PSCredential, e.g. an Azure Automation credential asset.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [ValidateNotNull]
        [Credential]
        public PSCredential Credential { get; set; } = null!;

        /// <summary>Base URL of the Codat API. Default: the environment variable CODAT_SERVER_URL, else https://api.codat.io.</summary>
        [Parameter(Position = 1)]
        public Uri? ServerUrl { get; set; }

        /// <summary>Runspace (default): this PowerShell session only. Process: every runspace of the process without its own.</summary>
        [Parameter]
        [ValidateSet(ConnectionScope.Runspace, ConnectionScope.Process, IgnoreCase = true)]
        public string Scope { get; set; } = ConnectionScope.Runspace;

        /// <summary>Writes the effective settings (without the key).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Stores the defaults in the chosen scope.</summary>
        protected override void EndProcessing()
        {
            var key = ParameterSetName == CredentialSet ? Credential.Password : ApiKey;
            if (key == null || key.Length == 0) ThrowTerminatingError(ErrorRecordFactory.NoApiKey());

            var session = ConnectionScope.StateOf(Scope);
            var retry = BoundRetryParameters;
            Uri effectiveServer;
            try
            {
                if (ServerUrl != null) ConnectionSettingsResolver.Validate(ServerUrl, "-ServerUrl");
                var proxy = BoundProxyParameters.ToOptions();
                session.Set(key!, ServerUrl, retry, proxy);
                effectiveServer = ConnectionSettingsResolver.ResolveServerUrl(null, session.Current);
            }
            catch (CodatSettingsException exception)
            {
                ThrowSettingsError(exception);
                return;
            }

            VerboseOutput.Write(this, $"Stored the Codat API key and {UrlText.Of(effectiveServer)} as defaults of this {ConnectionScope.Describe(Scope)}; " +
                $"Disconnect-Codat{ConnectionScope.ParameterFor(Scope)} forgets them.");
            if (PassThru)
            {
                // What later calls will really use: values not given here are the client's defaults.
                var policy = RetryParameterTranslator.Translate(retry);
                var source = ParameterSetName == CredentialSet ? CodatConnectionInfo.CredentialSource : CodatConnectionInfo.ParameterSource;
                WriteObject(CodatConnectionInfo.FromPolicy(effectiveServer, source, policy));
            }
        }
    }
}
