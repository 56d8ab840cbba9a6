using System.Globalization;

namespace CodatFiles.Client
{
    /// <summary>The X-Rate-Limit-* headers of a response, as sent (formats are not documented by Codat).</summary>
    public sealed class CodatRateLimit
    {
        /// <summary>X-Rate-Limit-Limit: requests allowed in the quota period.</summary>
        public long? Limit { get; set; }

        /// <summary>X-Rate-Limit-Remaining: requests left in the period.</summary>
        public long? Remaining { get; set; }

        /// <summary>X-Rate-Limit-Reset: when the quota resets, as the server wrote it.</summary>
        public string? Reset { get; set; }

        /// <inheritdoc />
        public override string ToString() =>
            $"limit {Limit?.ToString(CultureInfo.InvariantCulture) ?? "?"}, remaining {Remaining?.ToString(CultureInfo.InvariantCulture) ?? "?"}, reset {Reset ?? "?"}";
    }
}
