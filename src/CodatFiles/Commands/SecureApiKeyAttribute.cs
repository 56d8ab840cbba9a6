using System.Management.Automation;
using System.Security;

namespace CodatFiles.Commands
{
    /// <summary>
    /// Refuses a plain-text -ApiKey with a message that shows the ways to pass one safely, instead of PowerShell's
    /// bare "cannot convert String to SecureString". A key typed as a string ends up in history and transcripts.
    /// </summary>
    internal sealed class SecureApiKeyAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is string)
            {
                throw new ArgumentTransformationMetadataException(
                    "-ApiKey takes a SecureString, not plain text. Use -ApiKey (Read-Host -AsSecureString 'Codat API key'), " +
                    "a secret vault's SecureString (Get-Secret), or -Credential with a PSCredential whose password is the key " +
                    "(Get-Credential, or Get-AutomationPSCredential in an Azure Automation runbook).");
            }
            return inputData;
        }
    }
}
