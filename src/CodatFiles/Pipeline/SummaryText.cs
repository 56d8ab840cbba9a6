using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CodatFiles.Pipeline
{
    /// <summary>
    /// The words of a call's summary, for a console of 80 columns: what was done and what failed, then what was
    /// left alone (up to date, skipped) with the requests and time, and where
    /// the failures are (by error id and place, the first few), then where to find the errors. Also the one
    /// warning a call ends with when anything failed, for hosts that show no Information stream (Azure Automation).
    /// </summary>
    internal static class SummaryText
    {
        public const int Width = 80;
        private const int MostPlacesShown = 5;

        /// <param name="summary">The totals.</param>
        /// <param name="upToDateWords">How the cmdlet words its up-to-date count ("already stored", "up to date").</param>
        public static string Of(CodatTransferSummary summary, string upToDateWords)
        {
            var lines = new List<string>
            {
                string.Format(CultureInfo.CurrentCulture, "{0}: {1} done ({2}), {3} failed{4}.",
                    summary.Command, Counted.Files(summary.FilesDone), ByteSize.Format(summary.BytesDone), summary.FilesFailed,
                    summary.BytesFailed > 0 ? " (" + ByteSize.Format(summary.BytesFailed) + ")" : string.Empty),
                string.Format(CultureInfo.CurrentCulture, "{0} {1}, {2} skipped; {3}, {4}, {5:0.0} s.",
                    summary.FilesUpToDate, upToDateWords, summary.FilesSkipped,
                    Counted.Requests(summary.Requests), Counted.Of(summary.Retries, "retry", "retries"), summary.Elapsed.TotalSeconds),
            };

            var failures = summary.Failures;
            foreach (var group in failures.Take(MostPlacesShown)) lines.Add("Failed: " + group + ".");
            if (failures.Count > MostPlacesShown)
            {
                var rest = failures.Skip(MostPlacesShown).Sum(group => group.Files);
                lines.Add($"Failed: {Counted.Files(rest)} more, of {failures.Count - MostPlacesShown} other kinds or places.");
            }
            if (failures.Count > 0) lines.Add(WhereErrorsAre(failures.Sum(group => group.Errors)));

            return string.Join(Environment.NewLine, lines.SelectMany(line => Wrap(line, Width)));
        }

        /// <summary>The warning a call ends with when anything failed, or null when nothing did.</summary>
        /// <param name="summary">The totals.</param>
        /// <param name="upToDateWords">The up-to-date count's words, as in the summary's own text.</param>
        public static string? WarningOf(CodatTransferSummary summary, string upToDateWords)
        {
            if (summary.FilesFailed == 0) return null;
            var considered = summary.FilesDone + summary.FilesUpToDate + summary.FilesSkipped + summary.FilesFailed;
            return $"{summary.Command}: {summary.FilesFailed} of {Counted.Files(considered)} failed " +
                   $"({summary.FilesDone} done, {summary.FilesUpToDate} {upToDateWords}, {summary.FilesSkipped} skipped). " +
                   WhereErrorsAre(summary.Failures.Sum(group => group.Errors));
        }

        private static string WhereErrorsAre(long errors) =>
            errors == 1 ? "The error is above and in $Error." : $"The {errors} errors are above and in $Error.";

        /// <summary>Breaks a line at spaces so that no piece is wider than <paramref name="width"/>, unless one word is.</summary>
        internal static IEnumerable<string> Wrap(string line, int width)
        {
            var current = new StringBuilder();
            foreach (var word in line.Split(' '))
            {
                if (current.Length > 0 && current.Length + 1 + word.Length > width)
                {
                    yield return current.ToString();
                    current.Clear().Append("  ");
                }
                if (current.Length > 0 && current.ToString().Trim().Length > 0) current.Append(' ');
                current.Append(word);
            }
            if (current.Length > 0) yield return current.ToString();
        }
    }
}
