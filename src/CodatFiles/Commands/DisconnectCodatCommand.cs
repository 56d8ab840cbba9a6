using System.Management.Automation;
using CodatFiles.Connection;

namespace CodatFiles.Commands
{
    /// <summary>
    /// <para type="synopsis">Forgets the defaults Connect-Codat stored for the current PowerShell session (runspace).</para>
    /// <para type="description">Also closes the cached HTTP connections. Environment variables still apply afterwards.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Codat")]
    [OutputType(typeof(void))]
    public sealed class DisconnectCodatCommand : PSCmdlet
    {
        /// <summary>Clears the runspace's session state and the client cache.</summary>
        protected override void EndProcessing()
        {
            var hadSession = CodatSessionState.ForCurrentRunspace().Clear();
            // Process-wide, but harmless to other runspaces: a client in use is disposed only when its call ends,
            // and the next call simply opens new connections.
            ClientCache.Shared.Clear();
            WriteVerbose(hadSession
                ? "Forgot the Codat session defaults stored by Connect-Codat."
                : "There were no Codat session defaults to forget.");
        }
    }
}
