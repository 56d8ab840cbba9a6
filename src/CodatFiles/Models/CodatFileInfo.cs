using System;
using CodatFiles.Client;

namespace CodatFiles
{
    /// <summary>
    /// A file stored in Codat for a company, as Get-CodatFileList writes it. Its property names match the
    /// pipeline parameters of Save-CodatFiles (CompanyId, FileName, SourceType, Uploaded), so the two chain.
    /// </summary>
    public sealed class CodatFileInfo
    {
        internal CodatFileInfo(string? fileName, string? displayName, string? sourceType, DateTime? uploaded, Guid companyId)
        {
            FileName = fileName;
            DisplayName = displayName;
            SourceType = sourceType;
            Uploaded = uploaded;
            CompanyId = companyId;
        }

        /// <summary>Maps the client's model; kept internal so the public surface shows no client type.</summary>
        internal static CodatFileInfo FromClient(CodatFile file, Guid companyId) =>
            new CodatFileInfo(file.FileName, file.DisplayName, file.SourceType, CodatTimes.UploadTimeInUtc(file.UploadedAt), companyId);

        /// <summary>The file's name as uploaded.</summary>
        public string? FileName { get; }

        /// <summary>The name Codat shows for the file.</summary>
        public string? DisplayName { get; }

        /// <summary>Where the file came from: the integration of the connection it was uploaded to (e.g. Accounting, Banking).</summary>
        public string? SourceType { get; }

        /// <summary>When the file was uploaded, in UTC; null when Codat sent no parsable time.</summary>
        public DateTime? Uploaded { get; }

        /// <summary>The company the file belongs to.</summary>
        public Guid CompanyId { get; }

        /// <inheritdoc />
        public override string ToString() => FileName ?? DisplayName ?? string.Empty;
    }
}
