namespace CodatFiles.Emulator.Api;

/// <summary>The company (and for uploads the connection) a request was found to address.</summary>
/// <param name="Integration">The connection's integration; empty when the operation has no connection.</param>
internal sealed record ApiTarget(Guid CompanyId, Guid? ConnectionId, string Integration);
