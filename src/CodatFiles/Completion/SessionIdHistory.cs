using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace CodatFiles.Completion
{
    /// <summary>
    /// The company and connection ids the cmdlets were called with in this runspace, and the source types they
    /// saw, most recent first, for the argument completers. Kept per runspace like Connect-Codat's settings, so one
    /// runspace's tenants are never offered in another; bounded, so a long-running host does not grow it forever.
    /// </summary>
    internal sealed class SessionIdHistory
    {
        private const int MaxEntries = 50;

        private static readonly ConditionalWeakTable<object, SessionIdHistory> ByRunspace =
            new ConditionalWeakTable<object, SessionIdHistory>();

        private static readonly object NoRunspace = new object();

        private readonly object _gate = new object();
        private readonly List<Guid> _companies = new List<Guid>();
        private readonly List<(Guid Company, Guid Connection)> _connections = new List<(Guid Company, Guid Connection)>();
        private readonly List<string> _sourceTypes = new List<string>();

        /// <summary>The history of the runspace on this thread (the pipeline thread, also while completing).</summary>
        public static SessionIdHistory ForCurrentRunspace() =>
            ByRunspace.GetValue(Runspace.DefaultRunspace ?? NoRunspace, _ => new SessionIdHistory());

        public void RecordCompany(Guid companyId)
        {
            if (companyId == Guid.Empty) return;
            lock (_gate) MoveToFront(_companies, companyId);
        }

        public void RecordConnection(Guid companyId, Guid connectionId)
        {
            if (connectionId == Guid.Empty) return;
            lock (_gate)
            {
                MoveToFront(_companies, companyId);
                MoveToFront(_connections, (companyId, connectionId));
            }
        }

        public void RecordSourceType(string? sourceType)
        {
            if (string.IsNullOrEmpty(sourceType)) return;
            lock (_gate) MoveToFront(_sourceTypes, sourceType!);
        }

        public IReadOnlyList<Guid> Companies()
        {
            lock (_gate) return _companies.ToList();
        }

        /// <summary>Connection ids, those used with <paramref name="companyId"/> first when it is given.</summary>
        public IReadOnlyList<(Guid Company, Guid Connection)> Connections(Guid? companyId)
        {
            lock (_gate)
            {
                return _connections.OrderBy(pair => companyId != null && pair.Company == companyId ? 0 : 1).ToList();
            }
        }

        public IReadOnlyList<string> SourceTypes()
        {
            lock (_gate) return _sourceTypes.ToList();
        }

        private static void MoveToFront<T>(List<T> list, T item)
        {
            list.Remove(item);
            list.Insert(0, item);
            if (list.Count > MaxEntries) list.RemoveAt(list.Count - 1);
        }
    }
}
