using System.Globalization;

namespace CodatFiles.Pipeline
{
    /// <summary>Byte counts for people: 1.5 MB rather than 1572864.</summary>
    internal static class ByteSize
    {
        public static string Format(long bytes)
        {
            string[] units = { "B", "KB", "MB", "GB", "TB" };
            double value = bytes;
            var unit = 0;
            while (value >= 1024 && unit < units.Length - 1)
            {
                value /= 1024;
                unit++;
            }
            return unit == 0
                ? string.Format(CultureInfo.CurrentCulture, "{0} B", bytes)
                : string.Format(CultureInfo.CurrentCulture, "{0:0.#} {1}", value, units[unit]);
        }
    }
}
