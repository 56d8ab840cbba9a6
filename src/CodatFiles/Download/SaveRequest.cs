using System;

namespace CodatFiles.Download
{
    /// <summary>What one input record of Save-CodatFiles asks for, its times already turned into Codat's UTC days.</summary>
    internal sealed class SaveRequest
    {
        /// <summary>
        /// <paramref name="date"/> is -Date when given; <paramref name="fileName"/> is -FileName (piped from
        /// Get-CodatFileList), null or empty when whole archives are asked for.
        /// </summary>
        public SaveRequest(Guid companyId, string destination, DateTime? date, string? fileName, string? sourceType, DateTime? uploaded)
        {
            CompanyId = companyId;
            Destination = destination;
            Day = date is DateTime given ? CodatTimes.DayOfDateParameter(given) : (DateTime?)null;
            var uploadedUtc = uploaded is DateTime time ? CodatTimes.UploadTimeInUtc(time) : (DateTime?)null;
            UploadDay = uploadedUtc is DateTime u ? CodatTimes.DayOfUpload(u) : (DateTime?)null;
            File = string.IsNullOrEmpty(fileName) ? null : new FileSelection(fileName!, sourceType, uploadedUtc, Day);
        }

        public Guid CompanyId { get; }

        /// <summary>The full path of the record's -DestinationPath.</summary>
        public string Destination { get; }

        /// <summary>The UTC day of -Date, or null.</summary>
        public DateTime? Day { get; }

        /// <summary>The UTC day the piped file was uploaded on, or null.</summary>
        public DateTime? UploadDay { get; }

        /// <summary>The one file asked for, or null.</summary>
        public FileSelection? File { get; }
    }
}
