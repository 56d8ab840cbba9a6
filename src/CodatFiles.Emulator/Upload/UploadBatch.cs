using CodatFiles.Emulator.Errors;
using CodatFiles.Emulator.Storage;

namespace CodatFiles.Emulator.Upload;

/// <summary>
/// The outcome of reading one upload request: the parts that passed, written to staging, and one problem per
/// offending file. Disposing deletes whatever is still in staging, so a rejected request leaves nothing behind.
/// </summary>
internal sealed class UploadBatch : IDisposable
{
    public List<StagedFile> Files { get; } = new();

    public List<CodatValidationItem> Problems { get; } = new();

    /// <summary>Every part that carried a file name, accepted or not.</summary>
    public int FilePartCount { get; set; }

    public void Dispose()
    {
        foreach (var file in Files)
        {
            try
            {
                File.Delete(file.TempPath); // No-op once committed: the store moved it away.
            }
            catch (IOException)
            {
            }
        }
    }
}
