using System;

namespace CodatFiles
{
    /// <summary>
    /// One file that Send-CodatFile uploaded. Written once per file, after the request that carried it succeeded.
    /// </summary>
    public sealed class SendCodatFileResult
    {
        internal SendCodatFileResult(string fileName, string fullName, long length, Guid companyId, Guid connectionId, DateTime uploadedAt, int attempts, bool verified = false)
        {
            Verified = verified;
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

        /// <summary>
        /// When Codat accepted the request that carried the file (UTC), on Codat's clock: the answer's Date header,
        /// in whole seconds, or the upload time of the entry found stored after an answer was lost.
        /// </summary>
        public DateTime UploadedAt { get; }

        /// <summary>HTTP attempts the request needed, the successful one included.</summary>
        public int Attempts { get; }

        /// <summary>
        /// True under -Verify: the company's file list at the end of the call showed the file stored. False without
        /// -Verify (the result then rests on Codat's answer, or on a list that proved the upload stored).
        /// </summary>
        public bool Verified { get; }

        /// <inheritdoc />
        public override string ToString() => FullName;
    }
}
