using System.Globalization;

namespace CodatFiles.Pipeline
{
    /// <summary>"1 file", "3 files": the one way messages of the module count things.</summary>
    internal static class Counted
    {
        public static string Of(long count, string singular, string plural) =>
            count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : plural);

        public static string Files(long count) => Of(count, "file", "files");

        public static string Attempts(long count) => Of(count, "attempt", "attempts");

        public static string Requests(long count) => Of(count, "request", "requests");
    }
}
