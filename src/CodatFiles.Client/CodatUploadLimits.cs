using System.Collections.Generic;
using System.Linq;
using CodatFiles.Client.Internal;

namespace CodatFiles.Client
{
    /// <summary>Why a file cannot be uploaded to Codat.</summary>
    public enum UploadLimitViolation
    {
        /// <summary>The file is within the limits.</summary>
        None,
        /// <summary>Larger than <see cref="CodatUploadLimits.MaxFileBytes"/>.</summary>
        TooLarge,
        /// <summary>The extension is not one Codat accepts.</summary>
        ExtensionNotAllowed,
    }

    /// <summary>
    /// Codat's documented upload limits (upload-files description): up to 20 files a request, 10 MB each,
    /// PDF, XLS, XLSX, XLSB, CSV, DOC, DOCX, PPT, PPTX, JPEG, JPG and PNG only.
    /// </summary>
    public static class CodatUploadLimits
    {
        /// <summary>Most files in one upload request.</summary>
        public const int MaxFilesPerRequest = 20;

        /// <summary>Largest file Codat accepts: 10 MB, read as 10 MiB (10,485,760 bytes).</summary>
        public const long MaxFileBytes = 10L * 1024 * 1024;

        /// <summary>Extensions Codat accepts (with the dot, compared case-insensitively).</summary>
        public static IReadOnlyCollection<string> AllowedExtensions => CodatFileTypes.AcceptedExtensions;

        private static readonly string AllowedForPeople =
            string.Join(", ", CodatFileTypes.AcceptedExtensions.Select(extension => extension.Substring(1).ToUpperInvariant()));

        /// <summary>Checks a file name and length against the limits.</summary>
        public static UploadLimitViolation Check(string fileName, long length)
        {
            if (!CodatFileTypes.IsAccepted(fileName)) return UploadLimitViolation.ExtensionNotAllowed;
            if (length > MaxFileBytes) return UploadLimitViolation.TooLarge;
            return UploadLimitViolation.None;
        }

        /// <summary>A sentence explaining a violation to a person.</summary>
        public static string Describe(UploadLimitViolation violation, string fileName, long length) => violation switch
        {
            UploadLimitViolation.TooLarge => $"'{fileName}' is {length:N0} bytes; Codat accepts files up to {MaxFileBytes:N0} bytes (10 MB).",
            UploadLimitViolation.ExtensionNotAllowed => $"'{fileName}' has a type Codat does not accept; allowed: {AllowedForPeople}.",
            _ => $"'{fileName}' is within Codat's upload limits.",
        };
    }
}
