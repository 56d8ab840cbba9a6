namespace CodatFiles.Emulator.Control;

// Bodies of the control endpoints, as contracts.md fixes them (camelCase JSON). All members are nullable so a
// missing field can be reported by name instead of failing deserialization.

internal sealed record CompanyRegistrationRequest(Guid? CompanyId, IReadOnlyList<ConnectionRegistrationRequest>? Connections);

internal sealed record ConnectionRegistrationRequest(Guid? ConnectionId, string? Integration);

internal sealed record FaultRequest(string? Operation, int? Count, string? Kind, int? Status, string? RetryAfter, int? DelayMs, double? Probability = null,
    string? BodyBase64 = null, bool? EchoKey = null);

internal sealed record ClockRequest(DateTimeOffset? Now);

internal sealed record LatencyRequest(int? LatencyMs);

/// <summary>Body of POST /_emulator/archive-layout: <c>folders</c> (default true), <c>copies</c> "parenthesized" (default) or "underscore".</summary>
internal sealed record ArchiveLayoutRequest(bool? Folders, string? Copies);

/// <summary>PUT /_emulator/quota: requests left from now on, and optionally when the quota is full again.</summary>
internal sealed record QuotaRequest(int? Remaining, DateTimeOffset? ResetsAt);

/// <summary>PUT /_emulator/synthetic-list: made-up list entries for a company, optionally cut off once after <c>abortAfter</c>.</summary>
internal sealed record SyntheticListRequest(Guid? CompanyId, int? Count, int? NameLength, int? AbortAfter);
