namespace CodatFiles.Emulator.Storage;

/// <summary>
/// Metadata of one uploaded file, as its request's manifest holds it. The content lives under generated names,
/// never under the uploaded name, so no name can reach outside the data directory: at <see cref="Offset"/> in its
/// request's pack file <see cref="Pack"/>, or, in data directories of earlier emulator versions (no pack), in a
/// file of its own named after <see cref="Id"/>.
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
    long Length,
    string? Pack = null,
    long Offset = 0);

/// <summary>
/// An accepted part of an upload request, written at <paramref name="Offset"/> in the request's staging pack,
/// waiting for the whole request to pass validation.
/// </summary>
internal sealed record StagedFile(string FileName, long Offset, long Length);
