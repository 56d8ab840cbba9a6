using System;

namespace CodatFiles.Client
{
    /// <summary>A file uploaded to Codat: the spec's <c>File</c> schema.</summary>
    public sealed class CodatFile
    {
        /// <summary>The file's name (spec: fileName, nullable).</summary>
        public string? FileName { get; set; }

        /// <summary>An optional display name (spec: displayName, nullable).</summary>
        public string? DisplayName { get; set; }

        /// <summary>The source of the uploaded file (spec: sourceType, nullable).</summary>
        public string? SourceType { get; set; }

        /// <summary>The upload time exactly as Codat sent it (ISO 8601; may lack a time zone).</summary>
        public string? Uploaded { get; set; }

        /// <summary>
        /// <see cref="Uploaded"/> parsed; a time without zone is taken as UTC. Null when absent or unparsable.
        /// </summary>
        public DateTimeOffset? UploadedAt => CodatDateTime.TryParse(Uploaded);

        /// <inheritdoc />
        public override string ToString() => FileName ?? DisplayName ?? "(unnamed file)";
    }
}
