using System.Collections.Concurrent;

namespace CodatFiles.Emulator.Storage;

/// <summary>The companies and connections the emulator knows; requests for others get Codat's 404s.</summary>
internal sealed class CompanyRegistry
{
    // companyId → (connectionId → integration). Inner dictionaries are concurrent too, because a company can
    // gain connections through the control endpoint while requests for it are being served.
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Guid, string>> _companies = new();

    public CompanyRegistry(IEnumerable<EmulatorCompany> seed)
    {
        foreach (var company in seed)
        {
            Add(company);
        }
    }

    public int Count => _companies.Count;

    /// <summary>Adds the company, or adds/updates connections of one already known.</summary>
    public void Add(EmulatorCompany company)
    {
        var connections = _companies.GetOrAdd(company.CompanyId, _ => new ConcurrentDictionary<Guid, string>());
        foreach (var connection in company.Connections)
        {
            connections[connection.ConnectionId] = connection.Integration;
        }
    }

    public bool ContainsCompany(Guid companyId) => _companies.ContainsKey(companyId);

    /// <summary>The connection's integration, which becomes the sourceType of files uploaded through it.</summary>
    public bool TryGetIntegration(Guid companyId, Guid connectionId, out string integration)
    {
        integration = "";
        return _companies.TryGetValue(companyId, out var connections)
            && connections.TryGetValue(connectionId, out integration!);
    }
}
