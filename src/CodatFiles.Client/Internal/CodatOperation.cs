using System;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Names one API call for messages and events: the spec's operation id plus the ids it was about, so every
    /// error can say exactly what failed without the caller having to add context.
    /// </summary>
    internal sealed class CodatOperation
    {
        public const string ListFiles = "list-files";
        public const string UploadFiles = "upload-files";
        public const string DownloadFiles = "download-files";

        public CodatOperation(string name, Guid companyId, Guid? connectionId = null)
        {
            Name = name;
            CompanyId = companyId;
            ConnectionId = connectionId;
        }

        public string Name { get; }

        public Guid CompanyId { get; }

        public Guid? ConnectionId { get; }

        /// <summary>e.g. "upload-files for company 8a21…, connection 2e9d…".</summary>
        public string Describe() =>
            ConnectionId is Guid connection
                ? $"{Name} for company {CompanyId}, connection {connection}"
                : $"{Name} for company {CompanyId}";
    }
}
