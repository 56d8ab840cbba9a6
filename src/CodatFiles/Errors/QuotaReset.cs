using System;
using System.Globalization;
using CodatFiles.Client;

namespace CodatFiles.Errors
{
    /// <summary>
    /// When Codat's daily quota resets, read from an answer, and how messages say it: as a local time and a UTC
    /// time, never as a count of seconds. X-Rate-Limit-Reset's format is not documented: an ISO 8601 time (as the
    /// emulator sends), Unix seconds, or seconds from now are all read; else the 429's Retry-After.
    /// </summary>
    internal static class QuotaReset
    {
        /// <summary>The reset of the answer's quota, or null when it says nothing usable.</summary>
        public static DateTimeOffset? Of(CodatApiException api, DateTimeOffset now) =>
            Parse(api.RateLimit?.Reset, now) ?? (api.RetryAfter is TimeSpan wait ? now + wait : (DateTimeOffset?)null);

        /// <summary>X-Rate-Limit-Reset as a time, or null when it is absent or unreadable.</summary>
        public static DateTimeOffset? Parse(string? header, DateTimeOffset now)
        {
            if (string.IsNullOrWhiteSpace(header)) return null;
            var text = header!.Trim();
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                // Large numbers are Unix seconds; small ones, seconds from now.
                return number > 1_000_000_000 ? DateTimeOffset.FromUnixTimeSeconds(number) : now.AddSeconds(number);
            }

            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed)
                ? parsed
                : (DateTimeOffset?)null;
        }

        /// <summary>e.g. "2026-12-08 01:00:00 local time (UTC+01:00), 2026-12-08 00:00:00 UTC".</summary>
        public static string Describe(DateTimeOffset reset)
        {
            var local = reset.ToLocalTime();
            var offset = local.Offset;
            var sign = offset < TimeSpan.Zero ? "-" : "+";
            return local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " local time (UTC" + sign +
                   offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture) + "), " +
                   reset.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
        }

        /// <summary>The reset as <see cref="Describe(DateTimeOffset)"/> words it, else the header as sent, else null.</summary>
        public static string? Describe(string? header, DateTimeOffset now) =>
            Parse(header, now) is DateTimeOffset reset ? Describe(reset) : header;
    }
}
