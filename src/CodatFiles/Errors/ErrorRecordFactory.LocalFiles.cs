using System;
using System.IO;
using System.Management.Automation;
using CodatFiles.Client;
using CodatFiles.Download;
using CodatFiles.Pipeline;

namespace CodatFiles.Errors
{
    /// <summary>
    /// The errors about local files and downloaded archives, where no Codat answer is involved: inputs that are not
    /// files, files refused before sending or failing while sent, destinations, and archive entries refused.
    /// </summary>
    internal static partial class ErrorRecordFactory
    {
        /// <summary>
        /// A file that could not be sent as it was checked: it could not be opened or read when its request was
        /// sent (deleted, locked, unreadable, a dangling link), or it changed while it was read. Only that file
        /// failed; the rest of its request was sent without it.
        /// </summary>
        public static ErrorRecord UploadSourceFailed(Exception problem, object? targetObject, bool changed)
        {
            var activity = targetObject is FileInfo file ? UploadActivity(file) : UploadActivity($"{targetObject}");
            if (changed)
            {
                return Create(problem, ErrorIds.FileChanged, targetObject,
                    $"{activity} failed: {problem.Message} It was not sent; any other files of its request are sent without it.",
                    "Send it again once nothing is writing to it.");
            }

            if (problem is FileNotFoundException || problem is DirectoryNotFoundException || problem is UnauthorizedAccessException)
            {
                var record = FromException(problem, targetObject, activity);
                record.ErrorDetails = new ErrorDetails(record.ErrorDetails.Message + " It was not sent; any other files of its request are sent without it.")
                {
                    RecommendedAction = record.ErrorDetails.RecommendedAction,
                };
                return record;
            }

            return Create(problem, ErrorIds.FileUnreadable, targetObject,
                $"{activity} failed: the file could not be read when its request was sent: {problem.Message} It was not sent; any other files of its request are sent without it.",
                "Check that no other program holds the file locked and that it can be read, then send it again.");
        }

        public static ErrorRecord FileNotFound(string path) => Create(
            new ItemNotFoundException($"Cannot find the file '{path}' because it does not exist."),
            ErrorIds.FileNotFound, path, null, "Check the path and try again.");

        public static ErrorRecord NotAFile(string path) => Create(
            new PSArgumentException($"'{path}' is a directory, not a file. Only files can be uploaded."),
            ErrorIds.NotAFile, path, null,
            "Pass the files inside it instead, e.g. Get-ChildItem -Path <directory> -File | Send-CodatFile ...");

        public static ErrorRecord SpecialFile(string path, string kind) => Create(
            new PSArgumentException($"'{path}' is {kind}, not a regular file. Only regular files can be uploaded."),
            ErrorIds.NotAFile, path, null,
            "Copy the data into a regular file and send that file instead.");

        public static ErrorRecord NotFileSystemPath(string path, string providerName) => Create(
            new PSArgumentException($"'{path}' is a path of the {providerName} provider; only file system paths are supported."),
            ErrorIds.NotFileSystemPath, path, null, "Give a path on a file system drive.");

        /// <summary>
        /// A file over Codat's limits, named with its folder and company ("'notes.txt' in /data/acme for company ...
        /// has a type Codat does not accept"); the FileInfo is the target, so the error pipes back into Send-CodatFile.
        /// </summary>
        public static ErrorRecord UploadLimitViolated(UploadLimitViolation violation, FileInfo file, Guid companyId)
        {
            var tooLarge = violation == UploadLimitViolation.TooLarge;
            // The client's sentence begins with the quoted name; the module adds where the file is and where it goes.
            var described = CodatUploadLimits.Describe(violation, file.Name, file.Length);
            var quoted = $"'{file.Name}'";
            var message = described.StartsWith(quoted, StringComparison.Ordinal)
                ? FileSubject(file, companyId) + described.Substring(quoted.Length)
                : described;
            return Create(
                new PSArgumentException(message),
                tooLarge ? ErrorIds.FileTooLarge : ErrorIds.FileTypeNotAllowed, file, null,
                tooLarge ? "Split or compress the file below 10 MB." : "Convert the file to PDF, an Office format, CSV, JPEG or PNG, or leave such files out with -Exclude.");
        }

        /// <summary>
        /// A 0-byte file. Codat's documented limits do not mention it, but an empty invoice or statement is a failed
        /// export or copy, never a document, so it is refused before anything is sent.
        /// </summary>
        public static ErrorRecord EmptyFile(FileInfo file, Guid companyId) => Create(
            new PSArgumentException($"{FileSubject(file, companyId)} is empty (0 bytes); an empty file is not uploaded."),
            ErrorIds.FileEmpty, file, null,
            "Check the program or copy that produced the file, then send it again once it has content.");

        /// <summary>"'notes.txt' in /data/acme for company &lt;id&gt;": the file, its folder and the company it was meant for.</summary>
        private static string FileSubject(FileInfo file, Guid companyId) => $"'{file.Name}' in {file.DirectoryName} for company {companyId}";

        /// <summary>A file Save-CodatFiles would overwrite; the existing file's FileInfo is the target.</summary>
        public static ErrorRecord FileExists(string path) => Create(
            new IOException($"The file '{path}' already exists."),
            ErrorIds.FileExists, new FileInfo(path), null,
            "Use -Force to overwrite existing files, or choose another -DestinationPath.");

        /// <summary>
        /// A second file for a path this call saved a moment ago: another company's file of the same name in the
        /// same folder (or an unlisted entry of the same company whose name meets a listed one). The saved file is
        /// kept; the path is the target.
        /// </summary>
        public static ErrorRecord SavedByThisCall(string path, Guid companyId, Guid savedFor) => savedFor == companyId
            ? Create(
                new IOException($"'{path}' was not written: this command saved another file of company {companyId} there a moment ago, and it is kept."),
                ErrorIds.CompanyNameClash, path, null,
                "Save the file alone into another folder, e.g. Get-CodatFileList | Where-Object FileName -eq <name> | Save-CodatFiles -DestinationPath <folder>.")
            : Create(
                new IOException($"The file '{Path.GetFileName(path)}' of company {companyId} was not saved: this command saved company {savedFor}'s file of that name to '{path}' a moment ago, and it is kept."),
                ErrorIds.CompanyNameClash, path, null,
                "Save each company into its own folder: -DestinationPath from a CSV column or a script block, e.g. -DestinationPath { Join-Path $root $_.CompanyId }.");

        public static ErrorRecord DestinationNotADirectory(string path) => Create(
            new PSArgumentException($"The destination '{path}' is a file, not a directory."),
            ErrorIds.DestinationNotADirectory, path, null, "Give a directory as -DestinationPath.");

        public static ErrorRecord TemporaryPathNotADirectory(string path) => Create(
            new PSArgumentException($"The temporary path '{path}' is not an existing directory."),
            ErrorIds.DestinationNotADirectory, path, null,
            "Give an existing directory as -TemporaryPath, or leave it out to use the system temp folder.");

        public static ErrorRecord UnsafeArchiveEntry(string entryName, string destination) => Create(
            new InvalidDataException($"The archive entry '{entryName}' would be written outside '{destination}' and was skipped."),
            ErrorIds.UnsafeArchiveEntry, entryName, null, null);

        public static ErrorRecord ArchiveEntryRefused(string target, string reason, long maxFileBytes) => Create(
            new InvalidDataException($"'{target}' was not saved: its archive entry {reason}, and files over {maxFileBytes:N0} bytes or larger than declared are refused. Nothing of it was left on disk."),
            ErrorIds.InvalidArchive, target, null,
            "Codat's files are 10 MB at most; if this one is genuine, raise the bound with -MaximumFileSize.");

        public static ErrorRecord ArchiveEntryDamaged(string target, long declaredBytes) => Create(
            new InvalidDataException($"'{target}' was not saved: its content does not match the checksum of its archive entry, so the entry is damaged or inflates beyond the {declaredBytes:N0} bytes it declares. Nothing of it was left on disk."),
            ErrorIds.InvalidArchive, target, null,
            "Try the download again; if it persists, contact Codat support.");

        /// <summary>An archive refused whole by -MaximumExpansionRatio before anything of it was written; the company id is the target.</summary>
        public static ErrorRecord ArchiveTooExpansive(ArchiveExpansionException exception, Guid companyId, string archive) => Create(
            exception, ErrorIds.InvalidArchive, companyId,
            $"The archive of the {archive} was not extracted: its entries declare {exception.DeclaredBytes:N0} bytes ({ByteSize.Format(exception.DeclaredBytes)}) " +
            $"uncompressed from an archive of {exception.ArchiveBytes:N0} bytes ({ByteSize.Format(exception.ArchiveBytes)}), more than the bound of " +
            $"{exception.BoundBytes:N0} bytes: the larger of {ByteSize.Format(ExpansionBound.FloorBytes)} and -MaximumExpansionRatio ({exception.Ratio:N0}) " +
            "times the archive's size. Nothing of it was written.",
            "Codat's files (PDFs, images, office documents, CSVs) compress little; if this archive is genuine, raise the bound with -MaximumExpansionRatio.");

        public static ErrorRecord FileNotInArchive(string fileName, Guid companyId) => Create(
            new ItemNotFoundException($"The file '{fileName}' of company {companyId} was not in the downloaded archive."),
            ErrorIds.FileNotInArchive, fileName, null,
            "Check the file still exists with Get-CodatFileList; files are matched by name, source type and upload day.");
    }
}
