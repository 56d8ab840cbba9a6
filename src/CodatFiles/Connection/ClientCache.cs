using System;
using System.Collections.Generic;
using CodatFiles.Client;

namespace CodatFiles.Connection
{
    /// <summary>
    /// Keeps one <see cref="CodatFilesClient"/> (so one HttpClient and its connection pool) per distinct server,
    /// key and proxy, shared by every cmdlet call of the process. Retry options are not part of the key: every call
    /// passes its own (CodatCallOptions.Retry), so changing -MaximumRetryCount does not open new connections. Small and least-recently-used: an evicted
    /// client is disposed once the last call using it returns its lease, never under a running transfer.
    /// The cache is keyed by a keyed hash of the API key, never by the key itself.
    /// </summary>
    internal sealed class ClientCache
    {
        public static readonly ClientCache Shared = new ClientCache(capacity: 8);

        private static readonly string UserAgent = "CodatFiles-PowerShell/" + CodatProductVersion.Of(typeof(ClientCache).Assembly);

        private readonly object _gate = new object();
        private readonly Dictionary<string, Entry> _entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        private readonly int _capacity;
        private long _clock;

        public ClientCache(int capacity)
        {
            _capacity = capacity;
        }

        /// <summary>A client for the settings, created on first use. Dispose the lease when the call is done.</summary>
        public ClientLease Acquire(ConnectionSettings settings)
        {
            var key = CacheKey(settings);
            List<Entry>? toDispose = null;
            ClientLease lease;
            lock (_gate)
            {
                if (!_entries.TryGetValue(key, out var entry))
                {
                    entry = new Entry(key, CreateClient(settings));
                    _entries.Add(key, entry);
                }
                // Stamp and lease before evicting, so the entry being handed out is the newest and never the victim.
                entry.Leases++;
                entry.LastUsed = ++_clock;
                toDispose = EvictOverCapacity();
                lease = new ClientLease(this, entry);
            }
            DisposeAll(toDispose);
            return lease;
        }

        /// <summary>Retires every client (Disconnect-Codat, module removal); clients in use are disposed when released.</summary>
        public void Clear()
        {
            List<Entry> toDispose = new List<Entry>();
            lock (_gate)
            {
                foreach (var entry in _entries.Values)
                {
                    entry.Retired = true;
                    if (entry.Leases == 0) toDispose.Add(entry);
                }
                _entries.Clear();
            }
            DisposeAll(toDispose);
        }

        private void Release(Entry entry)
        {
            bool dispose;
            lock (_gate)
            {
                entry.Leases--;
                dispose = entry.Retired && entry.Leases == 0;
            }
            if (dispose) entry.Client.Dispose();
        }

        private List<Entry>? EvictOverCapacity()
        {
            List<Entry>? disposable = null;
            while (_entries.Count > _capacity)
            {
                Entry? oldest = null;
                foreach (var candidate in _entries.Values)
                {
                    if (oldest == null || candidate.LastUsed < oldest.LastUsed) oldest = candidate;
                }
                if (oldest == null) break;
                _entries.Remove(oldest.Key);
                oldest.Retired = true;
                if (oldest.Leases == 0) (disposable ??= new List<Entry>()).Add(oldest);
            }
            return disposable;
        }

        private static void DisposeAll(List<Entry>? entries)
        {
            if (entries == null) return;
            foreach (var entry in entries) entry.Client.Dispose();
        }

        private static CodatFilesClient CreateClient(ConnectionSettings settings)
        {
            var options = new CodatClientOptions
            {
                ServerUrl = settings.ServerUrl,
                // The only place the key becomes a plain string; the client needs it to build its Authorization header.
                ApiKey = settings.ApiKey.ToPlainText(),
                Retry = settings.Retry.Clone(),
                UserAgent = UserAgent,
                Proxy = settings.Proxy,
            };
            return new CodatFilesClient(options);
        }

        private static string CacheKey(ConnectionSettings settings) =>
            settings.ServerUrl.AbsoluteUri + "|" + settings.ApiKey.Fingerprint() + "|" + ProxyParameters.Fingerprint(settings.Proxy);

        internal sealed class Entry
        {
            public Entry(string key, CodatFilesClient client)
            {
                Key = key;
                Client = client;
            }

            public string Key { get; }

            public CodatFilesClient Client { get; }

            public int Leases { get; set; }

            public long LastUsed { get; set; }

            public bool Retired { get; set; }
        }

        /// <summary>The right to use a cached client until disposed.</summary>
        internal sealed class ClientLease : IDisposable
        {
            private readonly ClientCache _owner;
            private Entry? _entry;

            public ClientLease(ClientCache owner, Entry entry)
            {
                _owner = owner;
                _entry = entry;
                Client = entry.Client;
            }

            public CodatFilesClient Client { get; }

            public void Dispose()
            {
                var entry = System.Threading.Interlocked.Exchange(ref _entry, null);
                if (entry != null) _owner.Release(entry);
            }
        }
    }
}
