using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CodatFiles.Pipeline;
using CodatFiles.Upload;

namespace CodatFiles.Errors
{
    /// <summary>The one error of a failure that concerns a whole Send-CodatFile call, company or connection.</summary>
    internal static partial class ErrorRecordFactory
    {
        /// <summary>
        /// The stop's one error: the id, category and advice of its cause (CodatFiles.Unauthorized, Forbidden,
        /// CompanyNotFound, ConnectionNotFound, QuotaExhausted, ConnectionFailed), a message naming how many files it
        /// kept from Codat and where they were from and bound for, and as TargetObject the array of those FileInfo
        /// objects, each carrying CompanyId and ConnectionId, so <c>$e.TargetObject | Send-CodatFile</c> sends them again.
        /// </summary>
        public static ErrorRecord WholeCallFailed(CallStop stop)
        {
            var files = stop.Files.ToArray();
            var record = FromException(stop.Exception, files, $"Uploading {Counted.Files(files.Length)} {FromAndTo(files)}");
            var resend = "Once that is fixed, send them again with $e.TargetObject | Send-CodatFile " +
                         "(each file carries its CompanyId and ConnectionId), where $e is this error.";
            var action = record.ErrorDetails?.RecommendedAction;
            record.ErrorDetails = new ErrorDetails(
                (record.ErrorDetails?.Message ?? stop.Exception.Message) + " " +
                (files.Length == 1 ? "The file was not uploaded." : $"None of the {files.Length} files was uploaded."))
            {
                // The quota's advice already says how to send them again.
                RecommendedAction = string.IsNullOrEmpty(action) ? resend
                    : action!.IndexOf("TargetObject", StringComparison.Ordinal) >= 0 ? action : action + " " + resend,
            };
            return record;
        }

        /// <summary>"from 'C:\in' to company &lt;id&gt;", "from 3 folders to 2 companies".</summary>
        private static string FromAndTo(IReadOnlyList<FileInfo> files)
        {
            var folders = files.Select(file => file.DirectoryName).Distinct(StringComparer.Ordinal).ToList();
            var companies = files.Select(UploadTargetNotes.CompanyOf).Where(id => id != null).Distinct().ToList();
            var from = folders.Count == 1 ? $"from '{folders[0]}'" : $"from {folders.Count} folders";
            var to = companies.Count == 1 ? $" to company {companies[0]:D}" : companies.Count > 1 ? $" to {companies.Count} companies" : string.Empty;
            return from + to;
        }
    }
}
