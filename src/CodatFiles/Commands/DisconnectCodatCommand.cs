using System.Management.Automation;
using CodatFiles.Connection;

namespace CodatFiles.Commands
{
    /// <summary>
    /// <para type="synopsis">Forgets the session defaults stored by Connect-Codat.</para>
    /// <para type="description">Also closes the cached HTTP connections. Environment variables still apply afterwards.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Codat")]
    [OutputType(typeof(void))]
    public sealed class DisconnectCodatCommand : PSCmdlet
    {
        /// <summary>Clears the session state and the client cache.</summary>
        protected override void EndProcessing()
        {
            var hadSession = CodatSessionState.Clear();
            ClientCache.Shared.Clear();
            WriteVerbose(hadSession
                ? "Forgot the Codat session defaults stored by Connect-Codat."
                : "There were no Codat session defaults to forget.");
        }
    }
}
