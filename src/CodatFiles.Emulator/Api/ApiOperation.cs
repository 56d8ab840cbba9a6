namespace CodatFiles.Emulator.Api;

/// <summary>The spec's operationIds; fault rules and the request log name operations by them.</summary>
internal static class ApiOperation
{
    public const string UploadFiles = "upload-files";
    public const string ListFiles = "list-files";
    public const string DownloadFiles = "download-files";

    public static IReadOnlyList<string> All { get; } = [UploadFiles, ListFiles, DownloadFiles];
}
