using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CodatFiles.Errors;
using CodatFiles.Pipeline;

namespace CodatFiles.Upload
{
    /// <summary>
    /// The errors for the files of a batch whose request failed, one per file in batch order. When Codat's 400
    /// names files, those get its reasons and the rest CodatFiles.BatchRejected; otherwise every file gets the
    /// same error, because the failure is the request's, not any one file's.
    /// </summary>
    internal static class BatchFailureErrors
    {
        /// <summary>Posts the errors, each counted with its file's bytes.</summary>
        public static void Post(PipelineMessageQueue messages, Exception exception, IReadOnlyList<FileInfo> files)
        {
            var errors = For(exception, files);
            for (var i = 0; i < errors.Count; i++) messages.WriteFileError(errors[i], files[i]);
        }

        public static IReadOnlyList<ErrorRecord> For(Exception exception, IReadOnlyList<FileInfo> files)
        {
            var rejection = BatchRejection.Find(exception, files);
            return files.Select(file => rejection == null
                    ? ErrorRecordFactory.FromException(exception, file, ErrorRecordFactory.UploadActivity(file))
                    : ForFileOf(rejection, file))
                .ToList();
        }

        private static ErrorRecord ForFileOf(BatchRejection rejection, FileInfo file)
        {
            var reasons = rejection.ReasonsFor(file);
            return reasons.Count > 0
                ? ErrorRecordFactory.FileRejected(rejection.Exception, file, reasons)
                : ErrorRecordFactory.BatchRejected(rejection.Exception, file, rejection.RejectedNames, rejection.Reasons);
        }
    }
}
