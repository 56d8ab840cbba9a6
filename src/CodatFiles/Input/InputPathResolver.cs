using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CodatFiles.Errors;
using CodatFiles.FileSystem;

namespace CodatFiles.Input
{
    /// <summary>One input path turned into a local file, or the per-item error explaining why it could not be.</summary>
    internal readonly struct ResolvedInput
    {
        private ResolvedInput(FileInfo? file, ErrorRecord? error, DirectoryInfo? directory, string? leftOutBy = null)
        {
            File = file;
            Error = error;
            Directory = directory;
            LeftOutBy = leftOutBy;
        }

        /// <summary>The file to send, or (with <see cref="LeftOutBy"/>) the file a filter left out.</summary>
        public FileInfo? File { get; }

        /// <summary>The parameter (-Filter, -Include, -Exclude) that left <see cref="File"/> out; null for a file to send.</summary>
        public string? LeftOutBy { get; }

        public ErrorRecord? Error { get; }

        /// <summary>A directory the path named, before the resolver decided whether that is an error.</summary>
        internal DirectoryInfo? Directory { get; }

        public static ResolvedInput Success(FileInfo file) => new ResolvedInput(file, null, null);

        public static ResolvedInput Failure(ErrorRecord error) => new ResolvedInput(null, error, null);

        internal static ResolvedInput OfDirectory(DirectoryInfo directory) => new ResolvedInput(null, null, directory);

        public static ResolvedInput LeftOut(FileInfo file, string parameter) => new ResolvedInput(file, null, null, parameter);
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
        /// Resolves one path as Get-ChildItem -File would with the same -Recurse, -Filter, -Include and -Exclude:
        /// <paramref name="literal"/> turns off wildcard expansion; <paramref name="recurse"/> turns a directory into
        /// the files beneath it (see <see cref="DirectoryFiles"/>) and makes a wildcard path without -Include a search
        /// below its folder (see <see cref="SearchLeaf"/>).
        /// A file is given once per path; a file the filter leaves out comes back marked so (not as an error).
        /// </summary>
        public IEnumerable<ResolvedInput> Resolve(string path, bool literal, bool recurse, FileNameFilter filter)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var input in Expand(path, literal, recurse, filter))
            {
                if (input.File is FileInfo file)
                {
                    if (!seen.Add(file.FullName)) continue;
                    if (filter.LeftOutBy(file.Name) is string parameter)
                    {
                        yield return ResolvedInput.LeftOut(file, parameter);
                        continue;
                    }
                }
                yield return input;
            }
        }

        private IEnumerable<ResolvedInput> Expand(string path, bool literal, bool recurse, FileNameFilter filter)
        {
            var resolved = literal ? new[] { ResolveLiteral(path) } : ResolveWildcard(path);
            if (!literal && recurse && !filter.HasInclude && _paths.ParseChildName(path) is var leaf && WildcardPattern.ContainsWildcardCharacters(leaf))
            {
                return SearchLeaf(path, leaf, resolved.ToList());
            }
            return ExpandDirectories(resolved, recurse, filter);
        }

        private static IEnumerable<ResolvedInput> ExpandDirectories(IEnumerable<ResolvedInput> resolved, bool recurse, FileNameFilter filter)
        {
            foreach (var input in resolved)
            {
                if (input.Directory is DirectoryInfo directory && recurse)
                {
                    foreach (var file in DirectoryFiles.Beneath(directory)) yield return ResolvedInput.Success(file);
                }
                else if (input.Directory != null)
                {
                    // Get-ChildItem filters the folders a path names by name too (acme/* -Include *.pdf lists no
                    // folder 2024): one left out is no error; one taken is not a file.
                    if (filter.LeftOutBy(input.Directory.Name) == null) yield return ResolvedInput.Failure(ErrorRecordFactory.NotAFile(input.Directory.FullName));
                }
                else
                {
                    yield return input;
                }
            }
        }

        /// <summary>
        /// A wildcard path with -Recurse and no -Include, as Get-ChildItem takes it: when the wildcard matches a single
        /// folder and nothing else (acme/2*), the files beneath that folder; otherwise the files at any depth below
        /// the path's folder whose name matches its last part (acme/*.pdf finds acme/a.pdf and acme/2024/q1/c.pdf, but
        /// not the other files of a folder named archive.pdf).
        /// </summary>
        private IEnumerable<ResolvedInput> SearchLeaf(string path, string leaf, List<ResolvedInput> matches)
        {
            if (matches.Count == 1 && matches[0].Directory is DirectoryInfo only)
            {
                foreach (var file in DirectoryFiles.Beneath(only)) yield return ResolvedInput.Success(file);
                yield break;
            }

            foreach (var failed in matches.Where(match => match.Error != null)) yield return failed;
            var pattern = new WildcardPattern(leaf, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            foreach (var folder in ParentFolders(path))
            {
                foreach (var file in DirectoryFiles.Beneath(folder))
                {
                    if (pattern.IsMatch(file.Name)) yield return ResolvedInput.Success(file);
                }
            }
        }

        /// <summary>The file-system folders the path's parent names (wildcards expanded); none when it names none.</summary>
        private List<DirectoryInfo> ParentFolders(string path)
        {
            var folders = new List<DirectoryInfo>();
            var parent = _paths.ParseParent(path, null);
            try
            {
                var providerPaths = _paths.GetResolvedProviderPathFromPSPath(string.IsNullOrEmpty(parent) ? "." : parent, out var provider);
                if (FileSystemProvider.Refusal(provider, path) != null) return folders;
                foreach (var providerPath in providerPaths)
                {
                    if (System.IO.Directory.Exists(providerPath)) folders.Add(new DirectoryInfo(providerPath));
                }
            }
            catch (Exception exception) when (exception is System.Management.Automation.DriveNotFoundException || exception is ItemNotFoundException
                                              || exception is ProviderNotFoundException)
            {
                // The path itself was resolved (and any error reported) above; its parent adds nothing.
            }
            return folders;
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
