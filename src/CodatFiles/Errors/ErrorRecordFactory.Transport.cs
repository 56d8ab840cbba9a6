using System.Management.Automation;
using CodatFiles.Client;

namespace CodatFiles.Errors
{
    /// <summary>The failures no retry cures: a rejected TLS certificate, and a proxy that wants credentials (407).</summary>
    internal static partial class ErrorRecordFactory
    {
        private const string ProxyCredentialAdvice =
            "Give the proxy's credentials with -ProxyCredential (or as user:password@ in the -Proxy URL), or -ProxyUseDefaultCredentials " +
            "for the current Windows user, on this cmdlet or Connect-Codat; if some were given, check them.";

        /// <summary>
        /// After one attempt: a rejected TLS certificate (the problem, the host, and the usual cause: a TLS-inspecting
        /// proxy whose root the machine does not trust), or a proxy that wants credentials before it opens a tunnel.
        /// </summary>
        private static ErrorRecord PermanentTransportFailure(CodatConnectionException connection, object? targetObject, string activity)
        {
            if (connection.Problem == CodatConnectionProblem.ProxyAuthenticationRequired)
            {
                return ProxyRefused(connection, targetObject, $"{activity} failed: {connection.Reason}.");
            }

            return Create(connection, ErrorIds.CertificateRejected, targetObject,
                $"{activity} failed: {connection.Reason}. A TLS-inspecting proxy or firewall between this machine and Codat shows its own " +
                "certificate; then its root certificate must be trusted by this machine.",
                "Check that -ServerUrl names the host its certificate was issued for. Behind a TLS-inspecting proxy, have its root certificate " +
                "added to this machine's trusted root certificates (ask the network administrator). Not retried: it fails the same way until then.");
        }

        /// <summary>A proxy's 407 answer to the request itself.</summary>
        private static ErrorRecord ProxyAuthenticationRequired(CodatApiException api, object? targetObject, string activity) =>
            ProxyRefused(api, targetObject,
                $"{activity} failed: the proxy asked for credentials (HTTP 407 Proxy Authentication Required) and was not given ones it accepts.");

        /// <summary>The message itself says what to give, since PowerShell's default error view does not show RecommendedAction.</summary>
        private static ErrorRecord ProxyRefused(CodatException exception, object? targetObject, string message) =>
            Create(exception, ErrorIds.ProxyAuthenticationRequired, targetObject, message + " " + ProxyCredentialAdvice + " Not retried.", ProxyCredentialAdvice);
    }
}
