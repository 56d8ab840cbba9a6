namespace CodatFiles.Emulator.Upload;

/// <summary>The limits Codat documents for uploads (upload-files description and the file-upload docs).</summary>
internal static class UploadRules
{
    public const int MaxFilesPerRequest = 20;

    /// <summary>"Each file can be up to 10MB": taken as 10 MiB, the larger reading, so the client's own check decides.</summary>
    public const long MaxFileBytes = 10L * 1024 * 1024;

    public static readonly IReadOnlyList<string> AllowedExtensions =
        ["pdf", "xls", "xlsx", "xlsb", "csv", "doc", "docx", "ppt", "pptx", "jpeg", "jpg", "png"];

    /// <summary>Kestrel's default cap (~28 MiB) is below 20 legal files; this leaves room for 21 (to report FileCount) plus headers.</summary>
    public const long MaxRequestBodyBytes = (MaxFilesPerRequest + 1) * MaxFileBytes + 1024 * 1024;

    // Validator names reported in validation.errors[].validatorName.
    public const string FileTypeValidator = "FileType";
    public const string FileSizeValidator = "FileSize";
    public const string FileCountValidator = "FileCount";
    public const string FileNameValidator = "FileName";

    public static bool HasAllowedExtension(string fileName)
    {
        var extension = Path.GetExtension(fileName).TrimStart('.');
        return AllowedExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase);
    }
}
