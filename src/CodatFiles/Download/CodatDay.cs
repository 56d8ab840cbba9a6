using System;

namespace CodatFiles.Download
{
    /// <summary>
    /// Codat's download filter is a UTC calendar day. These turn the cmdlet's DateTime inputs into that day.
    /// All results are midnight, Kind Utc.
    /// </summary>
    internal static class CodatDay
    {
        /// <summary>
        /// The day meant by -Date. A Utc value names an instant, so its UTC day. A Local or Unspecified value (what
        /// "2024-03-05" and Get-Date give) is read as "that day": its calendar date as given, not shifted by the time
        /// zone, because a user typing a date means that date, not the UTC day of its local midnight.
        /// </summary>
        public static DateTime FromDateParameter(DateTime date) =>
            // For a Utc value its date part is its UTC day; for the other kinds the date part is the date as given.
            // Either way no conversion: converting a local date to UTC would move evenings to the next day.
            AsUtcDay(date);

        /// <summary>An upload time in UTC; a time without zone is already UTC, as Codat and Get-CodatFileList give it.</summary>
        public static DateTime UploadTimeInUtc(DateTime uploaded) =>
            uploaded.Kind == DateTimeKind.Local ? uploaded.ToUniversalTime() : DateTime.SpecifyKind(uploaded, DateTimeKind.Utc);

        /// <summary>The UTC day of an upload.</summary>
        public static DateTime OfUpload(DateTime uploaded) => AsUtcDay(UploadTimeInUtc(uploaded));

        private static DateTime AsUtcDay(DateTime value) => DateTime.SpecifyKind(value.Date, DateTimeKind.Utc);
    }
}
