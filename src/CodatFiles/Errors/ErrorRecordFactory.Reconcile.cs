using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace CodatFiles.Errors
{
    /// <summary>The errors of the check at the end of a Send-CodatFile call (see Upload/UploadReconciler).</summary>
    internal static partial class ErrorRecordFactory
    {
        /// <summary>
        /// The company's list at the end of the call holds fewer entries of a name than the call reported sent: the
        /// target is the files of that name the call sent.
        /// </summary>
        public static ErrorRecord UploadNotStored(string fileName, Guid companyId, int missing, IReadOnlyList<FileInfo> files) => Create(
            new ItemNotFoundException(
                $"'{fileName}' was reported sent to company {companyId} {Times(files.Count)}, but the company's file list at the end of the call " +
                $"shows {Times(missing)} fewer, also when listed again a moment later: {(missing == 1 ? "one upload" : missing + " uploads")} of it " +
                "did not get there."),
            ErrorIds.UploadNotStored, files.Count == 1 ? (object)files[0] : files, null,
            "Send the file again (pipe this error's TargetObject to Send-CodatFile) and check with Get-CodatFileList.");

        private static string Times(int count) => count == 1 ? "once" : count + " times";
    }
}
