using System;
using System.Management.Automation;

namespace CodatFiles.Pipeline
{
    /// <summary>
    /// A file Save-CodatFiles wrote, with what Codat's list says about it. Written as the FileSystem provider's
    /// item (so it formats as a file listing and binds to -LiteralPath) carrying CompanyId, SourceType, Uploaded and StoredName
    /// as note properties, so the output can be grouped by source type or matched to Get-CodatFileList.
    /// </summary>
    internal sealed class SavedFile
    {
        public SavedFile(string path, Guid companyId, string? sourceType, DateTime? uploadedUtc, string? storedName = null)
        {
            StoredName = storedName;
            Path = path;
            CompanyId = companyId;
            SourceType = sourceType;
            UploadedUtc = uploadedUtc;
        }

        public string Path { get; }

        public Guid CompanyId { get; }

        /// <summary>Null for a kept archive, or an entry Codat's list did not name.</summary>
        public string? SourceType { get; }

        /// <summary>The upload time as Codat lists it (UTC); null for a kept archive, or when unknown.</summary>
        public DateTime? UploadedUtc { get; }

        /// <summary>
        /// The file's name as Codat stores it; null for a kept archive or an entry the list did not name. It differs
        /// from the saved name when the local system cannot hold it, or another file of the company has that local name.
        /// </summary>
        public string? StoredName { get; }

        /// <summary>Adds the facts to the provider item of the file.</summary>
        public PSObject Annotate(object item)
        {
            var annotated = PSObject.AsPSObject(item);
            annotated.Properties.Add(new PSNoteProperty(nameof(CompanyId), CompanyId));
            annotated.Properties.Add(new PSNoteProperty(nameof(SourceType), SourceType));
            annotated.Properties.Add(new PSNoteProperty("Uploaded", UploadedUtc));
            annotated.Properties.Add(new PSNoteProperty(nameof(StoredName), StoredName));
            return annotated;
        }
    }
}
