using System.Collections.Generic;
using System.Linq;
using CodatFiles.Client;
using CodatFiles.Pipeline;

namespace CodatFiles.Upload
{
    /// <summary>
    /// Says what the client found when an upload attempt's outcome was unknown: always in -Verbose, and as a
    /// warning when the check failed, because then the files it re-sends may now be stored twice.
    /// </summary>
    internal static class AmbiguousAttemptNotice
    {
        public static void Post(PipelineMessageQueue messages, string context, CodatAmbiguousAttempt report)
        {
            var lead = $"{context}: attempt {report.FailedAttempt} sent every byte but got no answer, so Codat may have stored its files";
            if (report.ListFailure is string failure)
            {
                messages.WriteWarning($"{lead}; listing the company's files to check failed ({failure}), so {Names(report.Resending)} " +
                                      "are sent again and may now be stored twice.");
                return;
            }

            messages.WriteVerbose($"{lead}; the company's file list shows {Counted.Of(report.FoundStored.Count, "file", "files")} of them stored" +
                                  (report.Resending.Count == 0 ? ", so none is sent again." : $"; sending again only {Names(report.Resending)}."));
        }

        private static string Names(IReadOnlyList<string> names) =>
            string.Join(", ", names.Select(name => "'" + name + "'"));
    }
}
