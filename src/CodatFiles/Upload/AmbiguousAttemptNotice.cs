using System.Collections.Generic;
using System.IO;
using System.Linq;
using CodatFiles.Client;
using CodatFiles.Pipeline;

namespace CodatFiles.Upload
{
    /// <summary>
    /// Says what the client found when an upload attempt's outcome was unknown: the files the list proved stored in
    /// -Verbose, and a warning naming each file sent again, written at that moment, because it may now be stored
    /// twice (the attempt may still commit after the list, and no later list can clear that).
    /// </summary>
    internal static class AmbiguousAttemptNotice
    {
        public static void Post(PipelineMessageQueue messages, string context, CodatAmbiguousAttempt report, IReadOnlyList<FileInfo>? sending = null)
        {
            var lead = $"{context}: attempt {report.FailedAttempt} sent every byte but got no answer Codat can be held to, so it may have stored its files";
            if (report.FoundStored.Count > 0)
            {
                messages.WriteVerbose($"{lead}; the company's file list proves {Names(report.FoundStored, sending)} stored by it, so " +
                                      (report.FoundStored.Count == 1 ? "it is" : "they are") + " not sent again.");
            }

            if (report.Resending.Count == 0) return;
            var why = report.Doubt ?? report.ListFailure ?? "the company's file list does not prove it stored";
            messages.WriteWarning($"{lead}; {why}, so {Names(report.Resending, sending)} " +
                                  (report.Resending.Count == 1 ? "is" : "are") + " sent again and may now be stored twice. " +
                                  "Check with Get-CodatFileList after the call.");
        }

        /// <summary>The files' full paths where the batch names them, else their names.</summary>
        private static string Names(IReadOnlyList<string> names, IReadOnlyList<FileInfo>? sending)
        {
            var paths = sending is null ? null : UploadSources.Named(names, sending, except: null);
            var shown = paths is { Count: > 0 } && paths.Count == names.Count ? paths.Select(f => f.FullName) : names;
            return string.Join(", ", shown.Select(name => "'" + name + "'"));
        }
    }
}
