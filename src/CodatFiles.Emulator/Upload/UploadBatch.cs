using CodatFiles.Emulator.Errors;
using CodatFiles.Emulator.Storage;

namespace CodatFiles.Emulator.Upload;

/// <summary>
/// The outcome of reading one upload request: the parts that passed, written one after another to one staging
/// pack file, and one problem per offending file. One file per request, not per part: creating files is most of
/// what storing many small uploads costs (the file system's inode allocation). Disposing deletes the pack when it
/// is still in staging, so a rejected request leaves nothing behind.
/// </summary>
internal sealed class UploadBatch : IDisposable
{
    public List<StagedFile> Files { get; } = new();

    public List<CodatValidationItem> Problems { get; } = new();

    /// <summary>Every part that carried a file name, accepted or not.</summary>
    public int FilePartCount { get; set; }

    /// <summary>The staging pack holding <see cref="Files"/>, or null before the first accepted part.</summary>
    public string? PackPath { get; set; }

    public void Dispose()
    {
        if (PackPath is null) return;
        try
        {
            File.Delete(PackPath); // No-op once committed: the store moved it away.
        }
        catch (IOException)
        {
        }
    }
}
