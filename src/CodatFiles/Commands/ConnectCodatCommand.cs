using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Security;
using System.Threading;
using CodatFiles.Client;
using CodatFiles.Connection;
using CodatFiles.Errors;
using CodatFiles.Pipeline;

namespace CodatFiles.Commands
{
    /// <summary>
    /// <para type="synopsis">Checks and stores the Codat API key, server, retry and proxy defaults for the current PowerShell session (runspace), or for the whole process.</para>
    /// <para type="description">The other CodatFiles cmdlets use these when they are not given -ApiKey, -Credential, -ServerUrl, the retry or the proxy parameters. By default it first makes one request to check that a Codat server answers at the URL and accepts the key.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Codat", DefaultParameterSetName = ApiKeySet)]
    [OutputType(typeof(CodatConnectionInfo))]
    public sealed class ConnectCodatCommand : CodatCmdletBase, IDisposable
    {
        private const string ApiKeySet = "ApiKey";
        private const string CredentialSet = "Credential";
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

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

        /// <summary>Stores the settings without the checking request (offline set-up).</summary>
        [Parameter]
        public SwitchParameter SkipCheck { get; set; }

        /// <summary>Checks the key and server (unless -SkipCheck), then stores the defaults in the chosen scope.</summary>
        protected override void EndProcessing()
        {
            var key = ParameterSetName == CredentialSet ? Credential.Password : ApiKey;
            if (key == null || key.Length == 0) ThrowTerminatingError(ErrorRecordFactory.NoApiKey());

            var retry = BoundRetryParameters;
            Uri effectiveServer;
            CodatProxyOptions? proxy;
            try
            {
                if (ServerUrl != null) ConnectionSettingsResolver.Validate(ServerUrl, "-ServerUrl");
                proxy = BoundProxyParameters.ToOptions();
                effectiveServer = ConnectionSettingsResolver.ResolveServerUrl(ServerUrl, null);
            }
            catch (CodatSettingsException exception)
            {
                ThrowSettingsError(exception);
                return;
            }

            // What later calls will really use: values not given here are the client's defaults.
            var policy = RetryParameterTranslator.Translate(retry);
            var keyCheck = SkipCheck ? KeyChecks.Skipped : Check(new ConnectionSettings(effectiveServer, key!, policy, proxy ?? CodatProxyOptions.System));

            // Stored only now: a failed check (terminating, above) leaves the previous settings as they were.
            var source = ParameterSetName == CredentialSet ? CodatConnectionInfo.CredentialSource : CodatConnectionInfo.ParameterSource;
            ConnectionScope.StateOf(Scope).Set(key!, source, ServerUrl, retry, proxy, keyCheck);
            VerboseOutput.Write(this, $"Stored the Codat API key and {UrlText.Of(effectiveServer)} as defaults of this {ConnectionScope.Describe(Scope)}; " +
                $"Disconnect-Codat{ConnectionScope.ParameterFor(Scope)} forgets them.");
            if (PassThru) WriteObject(CodatConnectionInfo.FromPolicy(effectiveServer, source, policy));
        }

        /// <summary>Ctrl+C: stops the check's request.</summary>
        protected override void StopProcessing() => _stop.Cancel();

        /// <inheritdoc />
        public void Dispose() => _stop.Dispose();

        /// <summary>
        /// The one checking request (see <see cref="ConnectionCheck"/>): returns the KeyCheck to store, writes a warning
        /// when the key stays unchecked, and throws the terminating error when the check failed.
        /// </summary>
        private string Check(ConnectionSettings settings)
        {
            var exchanges = new ConcurrentQueue<CodatHttpExchange>();
            ConnectionCheckOutcome outcome;
            ClientCache.ClientLease lease;
            try
            {
                lease = ClientCache.Shared.Acquire(settings);
            }
            catch (Exception exception) when (!(exception is PipelineStoppedException))
            {
                ThrowTerminatingError(ErrorRecordFactory.ClientCreationFailed(exception, settings.ServerUrl));
                throw; // not reached: ThrowTerminatingError throws
            }

            using (lease)
            {
                try
                {
                    outcome = ConnectionCheck.Run(lease.Client, settings.Retry, exchanges, _stop.Token);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
            }

            foreach (var exchange in exchanges) WriteDebug("Connect-Codat check: " + exchange);
            var server = settings.ServerUrl;
            switch (outcome.Verdict)
            {
                case ConnectionCheckVerdict.KeyAccepted:
                    VerboseOutput.Write(this, $"Checked {ErrorRecordFactory.DisplayOf(server)}: it answered Codat's not-found error for the made-up company " +
                        $"{ConnectionCheck.MadeUpCompanyId}, which Codat gives only to a key it accepts (inferred: Codat has no endpoint that only checks a key).");
                    return KeyChecks.Accepted;
                case ConnectionCheckVerdict.Unchecked:
                    WriteWarning(ErrorRecordFactory.ConnectCheckInconclusive((CodatApiException)outcome.Exception!, server));
                    return KeyChecks.Unchecked;
                case ConnectionCheckVerdict.NotCodat:
                    ThrowTerminatingError(ErrorRecordFactory.NotACodatServer(outcome.Exception as CodatApiException, server));
                    break;
                default:
                    ThrowTerminatingError(ErrorRecordFactory.ConnectCheckFailed(outcome.Exception!, server));
                    break;
            }

            throw new InvalidOperationException("Not reached: the failed check threw above.");
        }
    }
}
