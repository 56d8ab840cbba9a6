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

        /// <summary>
        /// A path parameter through the session's current location and provider (it need not exist yet), or null with
        /// the NotFileSystemPath error in <paramref name="refusal"/> for another provider's path or an unknown drive.
        /// </summary>
        public static string? Resolve(PathIntrinsics paths, string path, out ErrorRecord? refusal)
        {
            try
            {
                var resolved = paths.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
                refusal = Refusal(provider, path);
                return refusal == null ? resolved : null;
            }
            catch (Exception exception) when (exception is DriveNotFoundException || exception is ProviderNotFoundException)
            {
                refusal = ErrorRecordFactory.NotFileSystemPath(path, "unknown");
                return null;
            }
        }

        /// <summary>Null for a FileSystem path; otherwise the NotFileSystemPath error naming the provider.</summary>
        public static ErrorRecord? Refusal(ProviderInfo provider, string path) =>
            string.Equals(provider.Name, Name, StringComparison.OrdinalIgnoreCase)
                ? null
                : ErrorRecordFactory.NotFileSystemPath(path, provider.Name);
    }
}
