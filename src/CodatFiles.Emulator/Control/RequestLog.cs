namespace CodatFiles.Emulator.Control;

/// <summary>What GET /_emulator/requests returns for one API request.</summary>
internal sealed record RequestLogEntry(
    string Operation, string Method, string Path, int Status, DateTimeOffset ReceivedAt, string? CompanyId, string? Fault = null);

/// <summary>
/// Every API request in arrival order, so tests can check how often and how a client called (e.g. its retries).
/// An entry is added on arrival and gets its status when the request ends: 0 while in flight or when the
/// connection was reset.
/// </summary>
internal sealed class RequestLog
{
    private readonly object _gate = new();
    private readonly List<Slot> _entries = new();

    public Slot Start(string operation, string method, string path, string? companyId, DateTimeOffset receivedAt)
    {
        var slot = new Slot(this, new RequestLogEntry(operation, method, path, 0, receivedAt, companyId));
        lock (_gate)
        {
            _entries.Add(slot);
        }
        return slot;
    }

    public IReadOnlyList<RequestLogEntry> Snapshot()
    {
        lock (_gate)
        {
            return _entries.Select(e => e.Entry).ToArray();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    /// <summary>A handle to one entry, to record its final status.</summary>
    internal sealed class Slot(RequestLog owner, RequestLogEntry entry)
    {
        public RequestLogEntry Entry { get; private set; } = entry;

        /// <summary>Records the injected fault the request took (its kind as on the wire).</summary>
        public void TookFault(string kind)
        {
            lock (owner._gate)
            {
                Entry = Entry with { Fault = kind };
            }
        }

        public void Complete(int status)
        {
            lock (owner._gate)
            {
                Entry = Entry with { Status = status };
            }
        }
    }
}
