using System.Management.Automation;
using CodatFiles.Client;

namespace CodatFiles.Errors
{
    /// <summary>The transport failures no retry cures: a rejected TLS certificate, and a proxy that wants credentials.</summary>
    internal static partial class ErrorRecordFactory
    {
        private const string ProxyCredentialAdvice =
            "The proxy asks for credentials: give them with -ProxyCredential (or a user name and password in the -Proxy URL), " +
            "or -ProxyUseDefaultCredentials for the current Windows user, on this cmdlet or Connect-Codat; if some were given, check them.";

        /// <summary>
        /// A transport failure no retry cures, after one attempt: a rejected TLS certificate (with the host and the
        /// problem, and the usual cause: a TLS-inspecting proxy whose root the machine does not trust), or a proxy
        /// that wants credentials before it opens a tunnel.
        /// </summary>
        private static ErrorRecord PermanentTransportFailure(CodatConnectionException connection, object? targetObject, string activity)
        {
            var message = $"{activity} failed: {connection.Reason}.";
            if (connection.Problem == CodatConnectionProblem.ProxyAuthenticationRequired)
            {
                return Create(connection, ErrorIds.ProxyAuthenticationRequired, targetObject, message, ProxyCredentialAdvice);
            }

            return Create(connection, ErrorIds.CertificateRejected, targetObject,
                message + " A TLS-inspecting proxy or firewall between this machine and Codat shows its own certificate; then its root certificate must be trusted by this machine.",
                "Check that -ServerUrl names the host its certificate was issued for. Behind a TLS-inspecting proxy, have its root certificate added to this machine's trusted root certificates (ask the network administrator). Not retried: it fails the same way until then.");
        }
    }
}
