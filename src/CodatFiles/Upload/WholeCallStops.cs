using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CodatFiles.Client;
using CodatFiles.Errors;

namespace CodatFiles.Upload
{
    /// <summary>
    /// The failures of one Send-CodatFile call that concern more than a batch, for every worker of the call
    /// (thread-safe), so batches that would only repeat one are not sent and the failure is reported once:
    /// <list type="bullet">
    /// <item>the whole call: Codat refused the key (401; every request carries it), the key's daily quota is spent
    /// (429; shared by all its companies), or the server could not be reached once the retries for it were spent
    /// (every request goes to it);</item>
    /// <item>a company: Codat refused the key for it (403), or said it does not exist (404);</item>
    /// <item>a company's data connection that Codat said does not exist (404).</item>
    /// </list>
    /// Each stop gathers the files it kept from Codat, the failed batch's and every later one's, and becomes one
    /// error at the end of the call whose TargetObject lists them.
    /// </summary>
    internal sealed class WholeCallStops
    {
        private readonly object _gate = new object();
        private readonly List<CallStop> _stops = new List<CallStop>();

        /// <summary>The stop that rules out sending to the company's connection, or null while there is none.</summary>
        public CallStop? StopFor(Guid companyId, Guid connectionId)
        {
            lock (_gate) return _stops.FirstOrDefault(stop => stop.Covers(companyId, connectionId));
        }

        /// <summary>
        /// The stop <paramref name="exception"/> starts or repeats for the batch's company and connection, or null
        /// when it concerns that batch alone; <paramref name="isNew"/> is true only for the call that recorded it.
        /// </summary>
        public CallStop? Record(Exception exception, Guid companyId, Guid connectionId, out bool isNew)
        {
            isNew = false;
            if (!(CallStop.ScopeOf(exception) is StopScope scope)) return null;
            var company = scope == StopScope.Call ? (Guid?)null : companyId;
            var connection = scope == StopScope.Connection ? connectionId : (Guid?)null;
            lock (_gate)
            {
                var known = _stops.FirstOrDefault(stop => stop.Scope == scope && stop.CompanyId == company && stop.ConnectionId == connection);
                if (known != null) return known;
                var added = new CallStop(exception, scope, company, connection);
                _stops.Add(added);
                isNew = true;
                return added;
            }
        }

        /// <summary>Every stop, in the order they happened.</summary>
        public IReadOnlyList<CallStop> All
        {
            get { lock (_gate) return _stops.ToList(); }
        }
    }

    internal enum StopScope
    {
        Call,
        Company,
        Connection,
    }

    /// <summary>One failure that stops a call, a company or a connection, and the files it kept from Codat.</summary>
    internal sealed class CallStop
    {
        private readonly List<FileInfo> _files = new List<FileInfo>();

        public CallStop(Exception exception, StopScope scope, Guid? companyId, Guid? connectionId)
        {
            Exception = exception;
            Scope = scope;
            CompanyId = companyId;
            ConnectionId = connectionId;
        }

        public Exception Exception { get; }

        public StopScope Scope { get; }

        /// <summary>The company stopped; null when the whole call is.</summary>
        public Guid? CompanyId { get; }

        /// <summary>The connection stopped; null unless only it is.</summary>
        public Guid? ConnectionId { get; }

        /// <summary>The files kept from Codat so far, in the order they were added.</summary>
        public IReadOnlyList<FileInfo> Files
        {
            get { lock (_files) return _files.ToList(); }
        }

        public bool Covers(Guid companyId, Guid connectionId) =>
            (CompanyId == null || CompanyId == companyId) && (ConnectionId == null || ConnectionId == connectionId);

        public void Add(IEnumerable<FileInfo> files)
        {
            lock (_files) _files.AddRange(files);
        }

        /// <summary>What the failure stops, or null when it concerns one batch only.</summary>
        internal static StopScope? ScopeOf(Exception exception)
        {
            switch (exception)
            {
                case CodatConnectionException { Unreachable: true }:
                    return StopScope.Call;
                case CodatApiException api when api.Kind == CodatErrorKind.Unauthorized:
                    return StopScope.Call;
                // The daily quota is the key's, shared by all its companies: until it resets every request gets a 429.
                case CodatApiException api when ErrorRecordFactory.IsQuotaSpent(api):
                    return StopScope.Call;
                case CodatApiException api when api.Kind == CodatErrorKind.Forbidden:
                case CodatApiException { Kind: CodatErrorKind.NotFound, NotFound: CodatNotFoundSubject.Company }:
                    return StopScope.Company;
                case CodatApiException { Kind: CodatErrorKind.NotFound, NotFound: CodatNotFoundSubject.Connection }:
                    return StopScope.Connection;
                default:
                    return null;
            }
        }

        /// <summary>For -Verbose, when the stop happens: what is no longer sent.</summary>
        public string Describe(string description)
        {
            var what = Scope switch
            {
                StopScope.Call => "no further batch of this call is sent",
                StopScope.Company => $"no further batch for company {CompanyId} is sent",
                _ => $"no further batch for connection {ConnectionId} of company {CompanyId} is sent",
            };
            return $"{description}: {Cause()}; {what}. Their files are reported together in one error at the end of the call.";
        }

        /// <summary>What happened, in a few words: "Codat refused the API key (401)".</summary>
        public string Cause() => Exception switch
        {
            CodatConnectionException connection => $"{connection.Server} could not be reached ({connection.Reason})",
            CodatApiException { Kind: CodatErrorKind.Unauthorized } => "Codat refused the API key (401)",
            CodatApiException { Kind: CodatErrorKind.Forbidden } => $"Codat refused the API key for company {CompanyId} (403)",
            CodatApiException { Kind: CodatErrorKind.NotFound, NotFound: CodatNotFoundSubject.Company } =>
                $"Codat has no company {CompanyId} for this API key (404)",
            CodatApiException { Kind: CodatErrorKind.NotFound } => $"Codat has no data connection {ConnectionId} in company {CompanyId} (404)",
            CodatApiException { Kind: CodatErrorKind.TooManyRequests } => "Codat's daily quota for this API key is used up (429; shared by every company of the key)",
            _ => Exception.Message,
        };
    }
}
