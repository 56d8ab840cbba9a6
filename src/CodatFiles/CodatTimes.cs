using System;
using System.Globalization;

namespace CodatFiles
{
    /// <summary>
    /// The one owner of the module's UTC and day rules. Codat stores upload times in UTC and filters downloads by a
    /// UTC calendar day; PowerShell hands the cmdlets DateTime values of any kind. Which kind means what differs by
    /// parameter, on purpose, and is decided here only. Days are midnight, Kind Utc, and written yyyy-MM-dd.
    /// </summary>
    internal static class CodatTimes
    {
        /// <summary>
        /// The day meant by -Date. A Utc value names an instant, so its UTC day. A Local or Unspecified value (what
        /// "2024-03-05" and Get-Date give) is read as "that day": its calendar date as given, not shifted by the time
        /// zone, because a user typing a date means that date, not the UTC day of its local midnight.
        /// </summary>
        public static DateTime DayOfDateParameter(DateTime date) =>
            // For a Utc value its date part is its UTC day; for the other kinds the date part is the date as given.
            // Either way no conversion: converting a local date to UTC would move evenings to the next day.
            AsUtcDay(date);

        /// <summary>An upload time in UTC; a time without zone is already UTC, as Codat and Get-CodatFileList give it.</summary>
        public static DateTime UploadTimeInUtc(DateTime uploaded) =>
            uploaded.Kind == DateTimeKind.Local ? uploaded.ToUniversalTime() : DateTime.SpecifyKind(uploaded, DateTimeKind.Utc);

        /// <summary>An upload time as Codat lists it, in UTC (Kind Utc); null when Codat sent none that parses.</summary>
        public static DateTime? UploadTimeInUtc(DateTimeOffset? listed) => listed?.UtcDateTime;

        /// <summary>The UTC day of an upload.</summary>
        public static DateTime DayOfUpload(DateTime uploaded) => AsUtcDay(UploadTimeInUtc(uploaded));

        /// <summary>
        /// A time window bound (-Since, -Until) in UTC. PowerShell gives local or unspecified times for most input
        /// ('2024-03-05', Get-Date); both mean local time there.
        /// </summary>
        public static DateTime WindowBoundInUtc(DateTime value) =>
            value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Local).ToUniversalTime();

        /// <summary>A day as it appears in archive names and messages: yyyy-MM-dd.</summary>
        public static string FormatDay(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        /// <summary>A UTC time as messages show it: yyyy-MM-dd HH:mm:ssZ.</summary>
        public static string FormatUtc(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        private static DateTime AsUtcDay(DateTime value) => DateTime.SpecifyKind(value.Date, DateTimeKind.Utc);
    }
}
