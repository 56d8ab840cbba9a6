using System.Globalization;

namespace CodatFiles.Emulator.Download;

/// <summary>
/// The <c>date</c> query parameter of download-files. Codat filters by calendar day of upload; the spec gives both
/// <c>2022-10-23</c> and <c>2022-10-23T00:00:00Z</c> as examples, so a timestamp selects the UTC day it falls on.
/// </summary>
internal static class DownloadDateFilter
{
    /// <summary>Null <paramref name="raw"/> means no filter. Returns false when the text is not a date.</summary>
    public static bool TryParse(string? raw, out DateOnly? utcDay)
    {
        utcDay = null;
        if (raw is null)
        {
            return true;
        }
        var text = raw.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            utcDay = day;
            return true;
        }
        // Only ISO 8601 shapes ("T" separator); a timestamp without offset is taken as UTC.
        if (text.Contains('T')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            utcDay = DateOnly.FromDateTime(instant.UtcDateTime);
            return true;
        }
        return false;
    }

    public static bool Matches(DateOnly? utcDay, DateTimeOffset uploaded) =>
        utcDay is null || DateOnly.FromDateTime(uploaded.UtcDateTime) == utcDay;
}
