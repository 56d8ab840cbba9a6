using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using CodatFiles.Client;
using CodatFiles.Errors;
using CodatFiles.Upload;

namespace CodatFiles.Input
{
    /// <summary>
    /// Send-CodatFile's input side: one path resolved (with -Recurse and the name filters) into the files that pass
    /// the local checks. Each file that does not gets its error through the caller; the files a filter left out are
    /// neither errors nor inputs, and one -Verbose line names them.
    /// </summary>
    internal sealed class UploadInputs
    {
        private readonly InputPathResolver _resolver;
        private readonly FileNameFilter _filter;
        private readonly bool _recurse;

        public UploadInputs(SessionState sessionState, FileNameFilter filter, bool recurse)
        {
            _resolver = new InputPathResolver(sessionState);
            _filter = filter;
            _recurse = recurse;
        }

        /// <param name="path">One -Path or -LiteralPath value.</param>
        /// <param name="literal">True for -LiteralPath.</param>
        /// <param name="companyId">The company the files are for (errors name it; the files carry it).</param>
        /// <param name="connectionId">The connection the files are for (the files carry it).</param>
        /// <param name="fail">Takes a file's error and its bytes (pipeline thread).</param>
        /// <param name="verbose">Takes the note about left-out files.</param>
        public List<FileInfo> Checked(string path, bool literal, Guid companyId, Guid connectionId, Action<ErrorRecord, long> fail, Action<string> verbose)
        {
            var files = new List<FileInfo>();
            var leftOut = new LeftOutFiles();
            foreach (var input in _resolver.Resolve(path, literal, _recurse, _filter))
            {
                if (input.LeftOutBy is string parameter)
                {
                    leftOut.Add(input.File!, parameter);
                    continue;
                }

                if (input.Error != null)
                {
                    fail(input.Error, 0);
                    continue;
                }

                // Every error about the file targets this FileInfo: bound for its company and connection, it pipes back in.
                var file = UploadTargetNotes.Attach(input.File!, companyId, connectionId);
                if (file.Length == 0)
                {
                    fail(ErrorRecordFactory.EmptyFile(file, companyId), 0);
                    continue;
                }

                var violation = CodatUploadLimits.Check(file.Name, file.Length);
                if (violation != UploadLimitViolation.None)
                {
                    fail(ErrorRecordFactory.UploadLimitViolated(violation, file, companyId), file.Length);
                    continue;
                }
                files.Add(file);
            }

            if (leftOut.Describe(path, companyId) is string note) verbose(note);
            return files;
        }
    }
}
