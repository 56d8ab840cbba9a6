using System;
using System.Management.Automation;
using CodatFiles.Connection;

namespace CodatFiles.Commands
{
    /// <summary>
    /// The retry, timeout and proxy parameters every CodatFiles cmdlet that connects shares, named and meant as on
    /// Invoke-RestMethod.
    /// </summary>
    public abstract class CodatCmdletBase : PSCmdlet
    {
        /// <summary>
        /// How many times a failed request is retried (408, 429, 5xx and connection failures). 0 turns retries off.
        /// Default: Connect-Codat's value, else no fixed count: retries go on while they fit in the one-hour budget,
        /// as in Codat's SDKs.
        /// </summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int MaximumRetryCount { get; set; }

        /// <summary>
        /// Seconds to wait before the first retry; later waits grow exponentially. A server's Retry-After takes
        /// precedence. Default: Connect-Codat's value, else 0.5.
        /// </summary>
        [Parameter]
        [ValidateSeconds]
        public double RetryIntervalSec { get; set; }

        /// <summary>
        /// Time limit of each attempt in seconds, from sending the request until the response body is read.
        /// Default: Connect-Codat's value, else 300.
        /// </summary>
        [Parameter]
        [ValidateSeconds(MustBePositive = true)]
        public double TimeoutSec { get; set; }

        /// <summary>
        /// Sends the requests through this proxy (loopback servers too). Default: Connect-Codat's proxy, else the
        /// system or environment proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).
        /// </summary>
        [Parameter]
        public Uri? Proxy { get; set; }

        /// <summary>Credentials for the proxy of -Proxy, sent when it asks for them.</summary>
        [Parameter]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>Answers the proxy of -Proxy with the current user's credentials.</summary>
        [Parameter]
        public SwitchParameter ProxyUseDefaultCredentials { get; set; }

        /// <summary>Connects straight to the server, ignoring Connect-Codat's, the system's and the environment's proxy.</summary>
        [Parameter]
        public SwitchParameter NoProxy { get; set; }

        /// <summary>The proxy parameters this call was given.</summary>
        internal ProxyParameters BoundProxyParameters => new ProxyParameters(Proxy, ProxyCredential, ProxyUseDefaultCredentials, NoProxy);

        /// <summary>The retry parameters this call was given; those not given stay null so defaults apply.</summary>
        internal RetryParameters BoundRetryParameters => new RetryParameters(
            IsBound(nameof(MaximumRetryCount)) ? MaximumRetryCount : (int?)null,
            IsBound(nameof(RetryIntervalSec)) ? RetryIntervalSec : (double?)null,
            IsBound(nameof(TimeoutSec)) ? TimeoutSec : (double?)null);

        /// <summary>Whether the user gave the parameter (as opposed to it holding its default).</summary>
        protected bool IsBound(string parameterName) => MyInvocation.BoundParameters.ContainsKey(parameterName);

        /// <summary>Throws the ErrorRecord of a settings problem as the terminating error it is.</summary>
        internal void ThrowSettingsError(CodatSettingsException exception) => ThrowTerminatingError(exception.ErrorRecord);
    }
}
