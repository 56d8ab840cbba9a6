using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CodatFiles.Pipeline
{
    /// <summary>
    /// The overall progress bar's status, made to fit an 80-column console. PowerShell 7's progress view draws one
    /// line, "&lt;activity&gt; [&lt;status&gt;   ]", as wide as the console, and cuts a status that does not fit with
    /// "…" at its end, where the counts that matter would be lost. So the parts are ranked (files done of
    /// planned, failed, skipped, bytes, requests and retries) and the least important that do not fit are left
    /// out whole. (Windows PowerShell 5.1 draws the status on a line of its own, where it fits the more easily.)
    /// </summary>
    internal static class ProgressStatusLine
    {
        /// <summary>The narrowest console the line is made for.</summary>
        public const int ConsoleWidth = 80;

        // Around the status the view draws " [", "]", one cell kept free inside the bar, and one more to spare.
        private const int Frame = 5;

        /// <summary>How many cells the status of a bar with this activity has at <see cref="ConsoleWidth"/>.</summary>
        public static int StatusWidth(string activity, int indentation = 0) => ConsoleWidth - activity.Length - indentation - Frame;

        /// <summary>
        /// The overall status from the counts, within <paramref name="width"/> characters: "120 of 496 files, 24 failed,
        /// 3 skipped, 12.3 MB of 50.1 MB; 130 requests, 12 retries", less what does not fit (the first part always stays).
        /// </summary>
        public static string Overall(int width, string unit, int itemsDone, int itemsPlanned, int itemsFailed, long skipped,
            long bytesDone, long bytesPlanned, string? requests)
        {
            var parts = new List<string> { string.Format(CultureInfo.CurrentCulture, "{0} of {1} {2}", itemsDone, itemsPlanned, unit) };
            if (itemsFailed > 0) parts.Add(string.Format(CultureInfo.CurrentCulture, ", {0} failed", itemsFailed));
            if (skipped > 0) parts.Add(string.Format(CultureInfo.CurrentCulture, ", {0} skipped", skipped));
            if (bytesPlanned > 0)
            {
                parts.Add(", " + ByteSize.Format(Math.Min(bytesDone, bytesPlanned)) + " of " + ByteSize.Format(bytesPlanned));
            }
            else if (bytesDone > 0)
            {
                parts.Add(", " + ByteSize.Format(bytesDone));
            }
            if (requests != null) parts.Add("; " + requests);
            return Fit(width, parts);
        }

        /// <summary>
        /// The parts, most important first, each after the first with its own separator, joined in that order;
        /// a part that would pass <paramref name="width"/> is left out (a shorter, later one may still fit).
        /// The first part is always kept.
        /// </summary>
        public static string Fit(int width, IReadOnlyList<string> parts)
        {
            var line = new StringBuilder(parts.Count > 0 ? parts[0] : string.Empty);
            for (var i = 1; i < parts.Count; i++)
            {
                if (line.Length + parts[i].Length <= width) line.Append(parts[i]);
            }
            return line.ToString();
        }
    }
}
