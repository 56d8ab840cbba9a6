using System.Security.Cryptography;

namespace CodatFiles.Emulator;

/// <summary>Settings of one emulator instance. The command line and in-process tests both end up here.</summary>
public sealed class EmulatorOptions
{
    /// <summary>The key accepted when nobody chooses one; printed at start so a developer can copy it.</summary>
    public const string DevelopmentApiKey = "codat-emulator-dev-key";

    /// <summary>The company and connection used in the examples of Codat's spec, so copied examples just work.</summary>
    public static readonly Guid SpecExampleCompanyId = Guid.Parse("8a210b68-6988-11ed-a1eb-0242ac120002");

    /// <inheritdoc cref="SpecExampleCompanyId"/>
    public static readonly Guid SpecExampleConnectionId = Guid.Parse("2e9d2c44-f675-40ba-8049-353bfcb5e171");

    /// <summary>The raw API key; requests must send <c>Authorization: Basic base64(utf8(ApiKey))</c>.</summary>
    public string ApiKey { get; set; } = DevelopmentApiKey;

    /// <summary>
    /// What the control endpoints (<c>/_emulator/*</c> but health) require as <c>Authorization: Bearer TOKEN</c>.
    /// Random for every instance unless set, so only whoever started the emulator can steer it.
    /// </summary>
    public string ControlToken { get; set; } = NewControlToken();

    /// <summary>32 random hex characters.</summary>
    public static string NewControlToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Where uploaded files live. Null: a fresh temporary directory, deleted when the server is disposed.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Requests allowed per UTC day. Null: Codat's documented 1000 × (1 + number of companies).</summary>
    public int? DailyQuota { get; set; }

    /// <summary>Requests one company may have in flight at once (Codat documents 10); one more gets 429.</summary>
    public int MaxConcurrentRequestsPerCompany { get; set; } = 10;

    /// <summary>
    /// A fixed delay added to every API request, standing in for the round trip and processing of the hosted API.
    /// A request that gets a concurrency slot holds it while it waits, as it would at Codat. 0 (default) adds none.
    /// </summary>
    public int LatencyMs { get; set; }

    /// <summary>
    /// The emulator's clock: every wait (latency, delay faults, store-then-delay, late commits) and every reading of the
    /// time (upload stamps, the <c>Date</c> header, the daily quota, the request log). Tests pass a fake clock and move
    /// it, so nothing they check waits in real time; the command line always uses the system clock.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Companies known at start. Seeded with the spec's example company and connection.</summary>
    public IList<EmulatorCompany> Companies { get; set; } = new List<EmulatorCompany>
    {
        new(SpecExampleCompanyId, [new EmulatorConnection(SpecExampleConnectionId, Integrations.Accounting)]),
    };
}

/// <summary>A company and its data connections.</summary>
public sealed record EmulatorCompany(Guid CompanyId, IReadOnlyList<EmulatorConnection> Connections);

/// <summary>A data connection; its integration becomes the <c>sourceType</c> of files uploaded through it.</summary>
public sealed record EmulatorConnection(Guid ConnectionId, string Integration = Integrations.Accounting);

/// <summary>The file-upload integrations Codat offers; they name the folders of the download zip.</summary>
public static class Integrations
{
    public const string Accounting = "Accounting";
    public const string Banking = "Banking";
    public const string BusinessDocuments = "BusinessDocuments";

    public static IReadOnlyList<string> All { get; } = [Accounting, Banking, BusinessDocuments];

    /// <summary>Accepts any casing so a typo in case is not an error, but returns the canonical spelling.</summary>
    public static bool TryNormalize(string? value, out string integration)
    {
        integration = All.FirstOrDefault(i => string.Equals(i, value, StringComparison.OrdinalIgnoreCase)) ?? "";
        return integration.Length > 0;
    }
}
