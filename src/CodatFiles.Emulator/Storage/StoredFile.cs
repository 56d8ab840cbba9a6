namespace CodatFiles.Emulator.Storage;

/// <summary>
/// Metadata of one uploaded file, also its JSON sidecar on disk. The content lives next to it under the
/// generated <see cref="Id"/>, never under the uploaded name, so no name can reach outside the data directory.
/// </summary>
/// <param name="Sequence">Global upload order; lists and zips follow it even when the clock was moved back.</param>
internal sealed record StoredFile(
    Guid Id,
    Guid CompanyId,
    Guid ConnectionId,
    string FileName,
    string SourceType,
    DateTimeOffset Uploaded,
    long Sequence,
    long Length);

/// <summary>An uploaded part written to the staging folder, waiting for the whole request to pass validation.</summary>
internal sealed record StagedFile(string FileName, string TempPath, long Length);
