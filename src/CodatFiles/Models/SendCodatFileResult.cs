using System;

namespace CodatFiles
{
    /// <summary>
    /// One file that Send-CodatFile uploaded. Written once per file, after the request that carried it succeeded.
    /// </summary>
    public sealed class SendCodatFileResult
    {
        internal SendCodatFileResult(string fileName, string fullName, long length, Guid companyId, Guid connectionId, DateTime uploadedAt, int attempts)
        {
            FileName = fileName;
            FullName = fullName;
            Length = length;
            CompanyId = companyId;
            ConnectionId = connectionId;
            UploadedAt = uploadedAt;
            Attempts = attempts;
        }

        /// <summary>The name Codat stores for the file (the local file's name).</summary>
        public string FileName { get; }

        /// <summary>Full path of the local file that was sent.</summary>
        public string FullName { get; }

        /// <summary>Size of the file in bytes.</summary>
        public long Length { get; }

        /// <summary>The company the file was uploaded to.</summary>
        public Guid CompanyId { get; }

        /// <summary>The data connection the file was uploaded to.</summary>
        public Guid ConnectionId { get; }

        /// <summary>When Codat accepted the request that carried the file (UTC).</summary>
        public DateTime UploadedAt { get; }

        /// <summary>HTTP attempts the request needed, the successful one included.</summary>
        public int Attempts { get; }

        /// <inheritdoc />
        public override string ToString() => FullName;
    }
}
