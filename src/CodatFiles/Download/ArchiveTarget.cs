namespace CodatFiles.Download
{
    /// <summary>A listed file to take from one archive: where Codat is predicted to have put it, and where it goes.</summary>
    internal sealed class ArchiveTarget
    {
        public ArchiveTarget(CatalogFile file, string predictedEntryName, int occurrence)
        {
            File = file;
            PredictedEntryName = predictedEntryName;
            Occurrence = occurrence;
        }

        public CatalogFile File { get; }

        /// <summary>The entry name <see cref="ArchiveEntryNamer"/> predicts for the file in this archive.</summary>
        public string PredictedEntryName { get; }

        /// <summary>The file's name as the archive would carry it, to look for when the predicted entry is missing.</summary>
        public string FileName => ArchiveEntryNamer.SafeSegment(File.FileName);

        /// <summary>How many files of the same name this archive holds before this one (upload order).</summary>
        public int Occurrence { get; }

        /// <summary>Where the file is saved under the destination: its local name, whichever archive it came from.</summary>
        public string RelativePath => File.LocalPath;
    }
}
