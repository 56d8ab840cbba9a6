using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Reads Retry-After, which Codat does not document the format of. The BCL reads the HTTP forms (delta seconds
    /// "2", or an HTTP-date); what it cannot read and Codat may still send is an ISO 8601 date, or more seconds than
    /// an int holds (the daily quota's reset), so those are read here. A date is measured from the response's Date
    /// header when present, so a skewed local clock does not stretch or shrink the wait; a date already past means
    /// "now" (zero). Misreading the quota 429 would retry for an hour, hence the care.
    /// </summary>
    internal static class RetryAfterParser
    {
        private static readonly TimeSpan Longest = TimeSpan.FromDays(365);

        public static TimeSpan? Parse(HttpResponseMessage response, DateTimeOffset localNow)
        {
            var now = response.Headers.Date ?? localNow;
            if (response.Headers.RetryAfter is RetryConditionHeaderValue parsed) return FromHeaderValue(parsed, now);
            // The BCL keeps a value it could not parse; only those reach the fallback.
            return response.Headers.TryGetValues("Retry-After", out var values) ? ParseOther(values.FirstOrDefault(), now) : null;
        }

        public static TimeSpan? Parse(string? raw, DateTimeOffset now)
        {
            if (string.IsNullOrWhiteSpace(raw)) return null;
            return RetryConditionHeaderValue.TryParse(raw!.Trim(), out var parsed) ? FromHeaderValue(parsed!, now) : ParseOther(raw, now);
        }

        private static TimeSpan? FromHeaderValue(RetryConditionHeaderValue value, DateTimeOffset now) =>
            value.Delta is TimeSpan delta ? Clamp(delta) : value.Date is DateTimeOffset date ? Until(date, now) : (TimeSpan?)null;

        private static TimeSpan? ParseOther(string? raw, DateTimeOffset now)
        {
            if (string.IsNullOrWhiteSpace(raw)) return null;
            var text = raw!.Trim();
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(Math.Min(seconds, (long)Longest.TotalSeconds));
            }

            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
                ? Until(date, now)
                : (TimeSpan?)null;
        }

        // Absurd values are clamped instead of overflowing: a wait past the retry budget is refused anyway.
        private static TimeSpan Clamp(TimeSpan delay) => delay > Longest ? Longest : delay;

        private static TimeSpan Until(DateTimeOffset date, DateTimeOffset now) => date > now ? Clamp(date - now) : TimeSpan.Zero;
    }
}
