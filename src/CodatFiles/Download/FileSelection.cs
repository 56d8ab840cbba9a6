using System;

namespace CodatFiles.Download
{
    /// <summary>A file the user asked for by name (typically piped from Get-CodatFileList).</summary>
    internal sealed class FileSelection
    {
        public FileSelection(string fileName, string? sourceType, DateTime? uploadedUtc, DateTime? day)
        {
            FileName = fileName;
            SourceType = string.IsNullOrWhiteSpace(sourceType) ? null : sourceType;
            UploadedUtc = uploadedUtc;
            Day = day;
        }

        public string FileName { get; }

        /// <summary>The archive folder the file is in; null matches any folder.</summary>
        public string? SourceType { get; }

        public DateTime? UploadedUtc { get; }

        /// <summary>The UTC day (-Date) to look in when no upload time is given; null for any day.</summary>
        public DateTime? Day { get; }

        public string Describe() => SourceType == null ? FileName : SourceType + "/" + FileName;

        /// <summary>
        /// Name exactly, folder ignoring case (Codat's source types), upload time to the second (the list's
        /// precision); without an upload time, the day when one is given.
        /// </summary>
        public bool Matches(CatalogFile file)
        {
            if (!string.Equals(file.FileName, FileName, StringComparison.Ordinal)) return false;
            if (SourceType != null && !string.Equals(file.SourceType, SourceType, StringComparison.OrdinalIgnoreCase)) return false;
            if (UploadedUtc is DateTime uploaded)
            {
                return file.UploadedUtc is DateTime listed && Math.Abs((listed - uploaded).TotalSeconds) < 1;
            }
            return Day == null || file.UploadDay == Day;
        }
    }
}
