using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using CodatFiles.Errors;
using CodatFiles.FileSystem;

namespace CodatFiles.Input
{
    /// <summary>One input path turned into a local file, or the per-item error explaining why it could not be.</summary>
    internal readonly struct ResolvedInput
    {
        private ResolvedInput(FileInfo? file, ErrorRecord? error, DirectoryInfo? directory)
        {
            File = file;
            Error = error;
            Directory = directory;
        }

        public FileInfo? File { get; }

        public ErrorRecord? Error { get; }

        /// <summary>A directory the path named, before the resolver decided whether that is an error.</summary>
        internal DirectoryInfo? Directory { get; }

        public static ResolvedInput Success(FileInfo file) => new ResolvedInput(file, null, null);

        public static ResolvedInput Failure(ErrorRecord error) => new ResolvedInput(null, error, null);

        internal static ResolvedInput OfDirectory(DirectoryInfo directory) => new ResolvedInput(null, null, directory);
    }

    /// <summary>
    /// Turns -Path (wildcards) and -LiteralPath values, including the PSPath of piped FileInfo objects, into local
    /// files through the session's provider paths, so PowerShell drives, the current location and relative paths
    /// behave as in built-in cmdlets. Paths of other providers, missing paths and directories become per-item errors,
    /// except that with recursion a directory stands for the files beneath it.
    /// </summary>
    internal sealed class InputPathResolver
    {
        private readonly PathIntrinsics _paths;

        public InputPathResolver(SessionState sessionState)
        {
            _paths = sessionState.Path;
        }

        /// <summary>
        /// Resolves one path; <paramref name="literal"/> turns off wildcard expansion, <paramref name="recurse"/>
        /// turns a directory into the files beneath it (see <see cref="DirectoryFiles"/>).
        /// </summary>
        public IEnumerable<ResolvedInput> Resolve(string path, bool literal, bool recurse)
        {
            var resolved = literal ? new[] { ResolveLiteral(path) } : ResolveWildcard(path);
            foreach (var input in resolved)
            {
                if (input.Directory is DirectoryInfo directory && recurse)
                {
                    foreach (var file in DirectoryFiles.Beneath(directory)) yield return ResolvedInput.Success(file);
                }
                else if (input.Directory != null)
                {
                    yield return ResolvedInput.Failure(ErrorRecordFactory.NotAFile(input.Directory.FullName));
                }
                else
                {
                    yield return input;
                }
            }
        }

        private ResolvedInput ResolveLiteral(string path)
        {
            string providerPath;
            ProviderInfo provider;
            try
            {
                providerPath = _paths.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            }
            catch (Exception exception) when (exception is System.Management.Automation.DriveNotFoundException || exception is ItemNotFoundException)
            {
                return ResolvedInput.Failure(ErrorRecordFactory.FileNotFound(path));
            }
            catch (ProviderNotFoundException)
            {
                return ResolvedInput.Failure(ErrorRecordFactory.NotFileSystemPath(path, "unknown"));
            }

            if (FileSystemProvider.Refusal(provider, path) is { } refusal) return ResolvedInput.Failure(refusal);
            return ToFile(providerPath);
        }

        private IEnumerable<ResolvedInput> ResolveWildcard(string path)
        {
            IEnumerable<string> providerPaths;
            ProviderInfo provider;
            ResolvedInput? failure = null;
            try
            {
                providerPaths = _paths.GetResolvedProviderPathFromPSPath(path, out provider);
            }
            catch (Exception exception) when (exception is System.Management.Automation.DriveNotFoundException || exception is ItemNotFoundException)
            {
                providerPaths = Array.Empty<string>();
                provider = null!;
                failure = ResolvedInput.Failure(ErrorRecordFactory.FileNotFound(path));
            }
            catch (ProviderNotFoundException)
            {
                providerPaths = Array.Empty<string>();
                provider = null!;
                failure = ResolvedInput.Failure(ErrorRecordFactory.NotFileSystemPath(path, "unknown"));
            }

            if (failure is ResolvedInput failed)
            {
                yield return failed;
                yield break;
            }

            if (FileSystemProvider.Refusal(provider, path) is { } refusal)
            {
                yield return ResolvedInput.Failure(refusal);
                yield break;
            }

            // A wildcard that matches nothing yields nothing, as Get-Item does.
            foreach (var providerPath in providerPaths) yield return ToFile(providerPath);
        }

        /// <summary>
        /// Reads the file's metadata once: the FileInfo keeps what this one look found (existence, kind, length),
        /// and the limit check, the progress plan and the upload all use it.
        /// </summary>
        private static ResolvedInput ToFile(string providerPath)
        {
            var file = new FileInfo(providerPath);
            if (file.Exists)
            {
                // FIFOs, devices and sockets report no length, so only an empty-looking file needs a second look.
                if (file.Length == 0 && SpecialFiles.KindOf(file.FullName) is string kind)
                {
                    return ResolvedInput.Failure(ErrorRecordFactory.SpecialFile(providerPath, kind));
                }
                return ResolvedInput.Success(file);
            }
            return IsDirectory(file) ? ResolvedInput.OfDirectory(new DirectoryInfo(providerPath)) : ResolvedInput.Failure(ErrorRecordFactory.FileNotFound(providerPath));
        }

        // From the same look as Exists (FileInfo caches it); a missing path has no attributes (-1, or an exception
        // on .NET Framework).
        private static bool IsDirectory(FileInfo file)
        {
            try
            {
                var attributes = file.Attributes;
                return (int)attributes != -1 && (attributes & FileAttributes.Directory) != 0;
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                return false;
            }
        }
    }
}
