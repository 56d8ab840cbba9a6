using System.Management.Automation;
using CodatFiles.Connection;
using CodatFiles.Pipeline;

namespace CodatFiles.Commands
{
    /// <summary>
    /// <para type="synopsis">Forgets the defaults Connect-Codat stored for the current PowerShell session (runspace), or with -Scope Process for the process.</para>
    /// <para type="description">Also closes the cached HTTP connections. Environment variables still apply afterwards.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Codat")]
    [OutputType(typeof(void))]
    public sealed class DisconnectCodatCommand : PSCmdlet
    {
        /// <summary>Runspace (default): this session's defaults. Process: those of Connect-Codat -Scope Process.</summary>
        [Parameter]
        [ValidateSet(ConnectionScope.Runspace, ConnectionScope.Process, IgnoreCase = true)]
        public string Scope { get; set; } = ConnectionScope.Runspace;

        /// <summary>Clears the scope's session state and the client cache.</summary>
        protected override void EndProcessing()
        {
            var hadSession = ConnectionScope.StateOf(Scope).Clear();
            // Process-wide, but harmless to other runspaces: a client in use is disposed only when its call ends,
            // and the next call simply opens new connections.
            ClientCache.Shared.Clear();
            VerboseOutput.Write(this, hadSession
                ? $"Forgot the Codat defaults stored by Connect-Codat{ConnectionScope.ParameterFor(Scope)}."
                : $"There were no Codat defaults of this {ConnectionScope.Describe(Scope)} to forget.");
        }
    }
}
