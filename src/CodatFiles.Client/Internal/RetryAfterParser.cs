using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Reads Retry-After, which Codat does not document the format of: delta seconds ("2") or an HTTP-date.
    /// A date is measured from the response's Date header when present, so a skewed local clock does not
    /// stretch or shrink the wait; a date already past means "now" (zero).
    /// </summary>
    internal static class RetryAfterParser
    {
        public static TimeSpan? Parse(HttpResponseMessage response, DateTimeOffset localNow)
        {
            if (!response.Headers.TryGetValues("Retry-After", out var values)) return null;
            var raw = values.FirstOrDefault();
            return Parse(raw, response.Headers.Date ?? localNow);
        }

        public static TimeSpan? Parse(string? raw, DateTimeOffset now)
        {
            if (string.IsNullOrWhiteSpace(raw)) return null;
            var text = raw!.Trim();

            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                // Clamp absurd values instead of overflowing TimeSpan; a wait past the retry budget is refused anyway.
                return TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.FromDays(365).TotalSeconds));
            }

            if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ||
                DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
            {
                var delay = date - now;
                return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
            }

            return null;
        }
    }
}
