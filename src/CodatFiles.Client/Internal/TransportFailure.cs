using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Authentication;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Tells apart the transport failures that no retry can cure: the server's TLS certificate was rejected (an
    /// untrusted root, another name, expired or revoked), or a proxy refused to open a tunnel without credentials
    /// (407 to CONNECT). Both fail the same way every time, so the call stops after one attempt; a name that does not
    /// resolve or a refused connection is not one of them (the network may come back).
    /// </summary>
    internal static class TransportFailure
    {
        public const string ProxyAuthenticationAdvice =
            "A proxy between this machine and Codat asks for credentials (407 Proxy Authentication Required): give the proxy's " +
            "credential, or the current user's credentials, in the client's proxy options, or check the ones given.";

        /// <summary>The problem of <paramref name="exception"/>, or <see cref="CodatConnectionProblem.NoAnswer"/> for an ordinary (retried) failure.</summary>
        public static CodatConnectionProblem Classify(Exception exception) =>
            IsCertificateRejected(exception) ? CodatConnectionProblem.CertificateRejected
            : IsProxyAuthenticationRequired(exception) ? CodatConnectionProblem.ProxyAuthenticationRequired
            : CodatConnectionProblem.NoAnswer;

        public static bool IsPermanent(Exception exception) => Classify(exception) != CodatConnectionProblem.NoAnswer;

        /// <summary>
        /// The TLS handshake failed on the certificate: .NET wraps an AuthenticationException about "the remote
        /// certificate" in the HttpRequestException (HttpRequestError.SecureConnectionError); .NET Framework says so
        /// with WebExceptionStatus.TrustFailure, whatever the language of its messages.
        /// </summary>
        public static bool IsCertificateRejected(Exception exception) =>
            Chain(exception).Any(e =>
                e is AuthenticationException && e.Message.IndexOf("certificate", StringComparison.OrdinalIgnoreCase) >= 0 ||
                e is WebException { Status: WebExceptionStatus.TrustFailure });

        /// <summary>The proxy answered the tunnel request with 407 (an HTTP 407 answer itself is an ordinary failed response).</summary>
        public static bool IsProxyAuthenticationRequired(Exception exception) =>
            Chain(exception).Any(e =>
                e is WebException { Response: HttpWebResponse { StatusCode: HttpStatusCode.ProxyAuthenticationRequired } } ||
                e is HttpRequestException && (StatusCodeOf(e) == 407 ||
                    StatusCodeOf(e) is null && e.Message.IndexOf("407", StringComparison.Ordinal) >= 0 &&
                    e.Message.IndexOf("proxy", StringComparison.OrdinalIgnoreCase) >= 0));

        /// <summary>
        /// "the TLS certificate of api.codat.io was rejected: it is not issued by an authority this machine trusts
        /// (UntrustedRoot)", from the names .NET puts in the handshake's message; a generic phrase when it names none.
        /// </summary>
        public static string DescribeCertificateProblem(Exception exception, string host)
        {
            var text = string.Join(" ", Chain(exception).Select(e => e.Message));
            var problems = new List<string>();
            void Check(string explanation, params string[] names)
            {
                var found = names.Where(n => text.IndexOf(n, StringComparison.OrdinalIgnoreCase) >= 0).ToList();
                if (found.Count > 0) problems.Add($"{explanation} ({string.Join(", ", found)})");
            }

            Check("it is not issued by an authority this machine trusts", "UntrustedRoot", "PartialChain");
            Check("it was issued for another name than " + host, "RemoteCertificateNameMismatch");
            Check("it has expired or is not yet valid", "NotTimeValid");
            Check("it has been revoked", "Revoked");
            Check("its revocation could not be checked", "RevocationStatusUnknown", "OfflineRevocation");
            Check("the server sent none", "RemoteCertificateNotAvailable");
            if (problems.Count == 0) problems.Add("it did not pass validation");
            return $"the TLS certificate of {host} was rejected: {string.Join("; ", problems)}";
        }

        /// <summary>The client's exception for a failure no retry cures: what it is, where, and the usual cause.</summary>
        public static CodatConnectionException ToException(CodatOperation operation, Exception last, int attempts, CodatConnectionProblem problem,
            SecretRedactor redactor, string serverDisplay, string serverHost)
        {
            string reason, advice;
            if (problem == CodatConnectionProblem.CertificateRejected)
            {
                reason = DescribeCertificateProblem(last, serverHost);
                advice = "Check that the server URL names the host its certificate was issued for. If a TLS-inspecting proxy " +
                         "or firewall sits between this machine and Codat, it shows its own certificate: its root certificate must " +
                         "be trusted by this machine (ask the network administrator). Certificate problems are not retried.";
            }
            else
            {
                reason = "the proxy asked for credentials (407 Proxy Authentication Required) before it would open a tunnel to " + serverHost;
                advice = ProxyAuthenticationAdvice;
            }

            reason = redactor.Redact(reason);
            return new CodatConnectionException(redactor.Redact(operation.Describe() + " failed: " + reason + ". " + advice), operation.Name,
                attempts, reason, null, serverDisplay, false, false, last)
            {
                Problem = problem,
                // A rejected certificate fails every call to this server alike, as an unreachable one does.
                Unreachable = problem == CodatConnectionProblem.CertificateRejected,
            };
        }

        /// <summary>HttpRequestException.StatusCode (.NET 5 and later; not in netstandard2.0), when set.</summary>
        private static int? StatusCodeOf(Exception exception) =>
            exception.GetType().GetProperty("StatusCode")?.GetValue(exception) is HttpStatusCode status ? (int)status : (int?)null;

        private static IEnumerable<Exception> Chain(Exception exception)
        {
            for (var current = exception; current != null; current = current.InnerException) yield return current;
        }
    }
}
