using System;
using System.Globalization;

namespace CodatFiles.Client
{
    /// <summary>Reads Codat's ISO 8601 DateTime strings, which may carry Z, an offset, or no zone at all.</summary>
    public static class CodatDateTime
    {
        /// <summary>Parses a Codat date; a value without zone is taken as UTC. Null when absent or unparsable.</summary>
        public static DateTimeOffset? TryParse(string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed)
                ? parsed
                : (DateTimeOffset?)null;
        }
    }
}
