namespace CodatFiles
{
    /// <summary>
    /// Failures of one kind in one place, as the summary of a call lists them: the error id, where (a file's
    /// folder and company, a company, or a path), how many errors, and how many files they stand for.
    /// </summary>
    public sealed class CodatFailureGroup
    {
        internal CodatFailureGroup(string errorId, string? location)
        {
            ErrorId = errorId;
            Location = location;
        }

        /// <summary>The stable error id, e.g. CodatFiles.Unauthorized.</summary>
        public string ErrorId { get; }

        /// <summary>Where the failures are, e.g. "C:\in\2026-11, company 8f2c…"; null when the errors do not say.</summary>
        public string? Location { get; }

        /// <summary>Errors written of this kind in this place.</summary>
        public long Errors { get; internal set; }

        /// <summary>Files those errors stand for (a whole-call error counts every file it covers).</summary>
        public long Files { get; internal set; }

        internal CodatFailureGroup Copy() => new CodatFailureGroup(ErrorId, Location) { Errors = Errors, Files = Files };

        /// <summary>e.g. "3 files: CodatFiles.Unauthorized (C:\in, company …)".</summary>
        public override string ToString() =>
            Pipeline.Counted.Files(Files) + ": " + ErrorId + (Location == null ? string.Empty : " (" + Location + ")");
    }
}
