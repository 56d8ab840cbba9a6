using System;
using System.Management.Automation;
using CodatFiles.Errors;

namespace CodatFiles.FileSystem
{
    /// <summary>
    /// The one check that a resolved PowerShell path belongs to the FileSystem provider, the only one whose paths
    /// the cmdlets can read or write (input files of Send-CodatFile, the destination of Save-CodatFiles).
    /// </summary>
    internal static class FileSystemProvider
    {
        private const string Name = "FileSystem";

        /// <summary>Null for a FileSystem path; otherwise the NotFileSystemPath error naming the provider.</summary>
        public static ErrorRecord? Refusal(ProviderInfo provider, string path) =>
            string.Equals(provider.Name, Name, StringComparison.OrdinalIgnoreCase)
                ? null
                : ErrorRecordFactory.NotFileSystemPath(path, provider.Name);
    }
}
