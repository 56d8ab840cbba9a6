using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using CodatFiles.Client;

namespace CodatFiles.Connection
{
    /// <summary>
    /// Connect-Codat's one request, which shows whether a Codat server answers at the URL and accepts the key before
    /// the settings are stored: the file list of a company that cannot exist. Codat documents no endpoint that only
    /// checks a key, so a good key is inferred: the key is checked before the company (a wrong key gets 401 or 403
    /// whatever the company), so only Codat's own JSON not-found answer for the made-up company means a server that
    /// accepted the key. One attempt, at most <see cref="Timeout"/>, no retries; it costs one request of the daily quota.
    /// </summary>
    internal static class ConnectionCheck
    {
        /// <summary>
        /// The made-up company: shaped as a version-4 GUID (as Codat's ids are) but zero in every random bit, which a
        /// random generator does not produce, so no Codat instance has it.
        /// </summary>
        public static readonly Guid MadeUpCompanyId = new Guid("00000000-0000-4000-8000-000000000000");

        /// <summary>The one attempt's time limit (shorter when -TimeoutSec asks for less).</summary>
        public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

        /// <summary>
        /// Runs the check on the calling thread and waits for it. <paramref name="exchanges"/> receives the request's
        /// debug line (written by the caller on the pipeline thread).
        /// </summary>
        public static ConnectionCheckOutcome Run(CodatFilesClient client, CodatRetryOptions callPolicy,
            ConcurrentQueue<CodatHttpExchange> exchanges, CancellationToken cancellationToken)
        {
            var options = new CodatCallOptions
            {
                Retry = PolicyFor(callPolicy),
                OnHttpExchange = exchanges.Enqueue,
            };
            try
            {
                Task.Run(() => client.ListFilesAsync(MadeUpCompanyId, options, cancellationToken), cancellationToken).GetAwaiter().GetResult();
                // A list for a company that cannot exist: whatever answered, it is not Codat.
                return ConnectionCheckOutcome.NotCodat(null);
            }
            catch (CodatApiException api)
            {
                return Judge(api);
            }
            catch (CodatConnectionException connection)
            {
                return ConnectionCheckOutcome.Failed(connection);
            }
        }

        /// <summary>One attempt, no retries, at most <see cref="Timeout"/>.</summary>
        public static CodatRetryOptions PolicyFor(CodatRetryOptions callPolicy)
        {
            var attempt = callPolicy.PerAttemptTimeout < Timeout ? callPolicy.PerAttemptTimeout : Timeout;
            var policy = callPolicy.Clone();
            policy.MaxRetryAttempts = 0;
            policy.PerAttemptTimeout = attempt;
            policy.MaxElapsedTime = attempt;
            policy.MaxUnreachableTime = attempt;
            return policy;
        }

        /// <summary>What an answer other than a list says about the server and the key.</summary>
        internal static ConnectionCheckOutcome Judge(CodatApiException api)
        {
            switch (api.Kind)
            {
                case CodatErrorKind.NotFound:
                    // Codat's JSON error naming the company (its message, parsed from the JSON body) is the only proof.
                    return api.NotFound == CodatNotFoundSubject.Company && api.Error != null
                        ? ConnectionCheckOutcome.KeyAccepted(api)
                        : ConnectionCheckOutcome.NotCodat(api);
                case CodatErrorKind.TooManyRequests:
                case CodatErrorKind.ServiceUnavailable:
                case CodatErrorKind.ServerError:
                    // The server is there and busy or failing: the key could not be checked, which is not a reason to refuse it.
                    return ConnectionCheckOutcome.Unchecked(api);
                default:
                    // A 2xx that is not a list (an HTML page, other JSON) is no Codat answer either.
                    return api.StatusCode >= 200 && api.StatusCode <= 299
                        ? ConnectionCheckOutcome.NotCodat(api)
                        : ConnectionCheckOutcome.Failed(api);
            }
        }
    }

    /// <summary>How Connect-Codat's check went.</summary>
    internal enum ConnectionCheckVerdict
    {
        /// <summary>Codat's not-found answer for the made-up company: the server is Codat's and accepted the key.</summary>
        KeyAccepted,

        /// <summary>A 429 or 5xx: a server answered, but the key is unchecked (a warning).</summary>
        Unchecked,

        /// <summary>The key was refused, or no server answered (refused, unresolvable, certificate, timeout).</summary>
        Failed,

        /// <summary>Something answered, but not as Codat does: a gateway's 404 page, a wrong base path, a list for the made-up company.</summary>
        NotCodat,
    }

    /// <summary>The verdict, with the exception that shows it (null for a success answer to the made-up company).</summary>
    internal sealed class ConnectionCheckOutcome
    {
        private ConnectionCheckOutcome(ConnectionCheckVerdict verdict, CodatException? exception)
        {
            Verdict = verdict;
            Exception = exception;
        }

        public ConnectionCheckVerdict Verdict { get; }

        public CodatException? Exception { get; }

        public static ConnectionCheckOutcome KeyAccepted(CodatApiException answer) => new ConnectionCheckOutcome(ConnectionCheckVerdict.KeyAccepted, answer);

        public static ConnectionCheckOutcome Unchecked(CodatApiException answer) => new ConnectionCheckOutcome(ConnectionCheckVerdict.Unchecked, answer);

        public static ConnectionCheckOutcome Failed(CodatException failure) => new ConnectionCheckOutcome(ConnectionCheckVerdict.Failed, failure);

        public static ConnectionCheckOutcome NotCodat(CodatApiException? answer) => new ConnectionCheckOutcome(ConnectionCheckVerdict.NotCodat, answer);
    }
}
