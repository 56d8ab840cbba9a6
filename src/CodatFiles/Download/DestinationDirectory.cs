using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using CodatFiles.Errors;

namespace CodatFiles.Download
{
    /// <summary>
    /// The -DestinationPath folder. It is created when a download starts, and removed again at the end when this
    /// call created it but nothing was saved in it (every download failed or was cancelled), so a failed or
    /// stopped run leaves no empty folders behind. A folder that existed before is never removed.
    /// </summary>
    internal sealed class DestinationDirectory
    {
        // The folders this call would create, deepest first: the destination and its missing parents.
        private readonly List<string> _missingAtStart = new List<string>();

        public DestinationDirectory(string fullPath)
        {
            FullPath = fullPath;
            for (var folder = fullPath; !string.IsNullOrEmpty(folder) && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
            {
                _missingAtStart.Add(folder);
            }
        }

        public string FullPath { get; }

        /// <summary>Creates the folder (and its missing parents); null when done, else the error saying why not.</summary>
        public ErrorRecord? TryCreate()
        {
            try
            {
                Directory.CreateDirectory(FullPath);
                return null;
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException || exception is ArgumentException || exception is NotSupportedException)
            {
                return ErrorRecordFactory.FromException(exception, FullPath, $"Creating the directory '{FullPath}'");
            }
        }

        /// <summary>Removes the folders this call created, if no file was saved in them. Best effort; safe to call again.</summary>
        public void RemoveIfCreatedAndEmpty()
        {
            if (_missingAtStart.Count == 0 || !Directory.Exists(FullPath)) return;
            if (!TryRemoveEmptyTree(FullPath)) return;
            for (var i = 1; i < _missingAtStart.Count; i++)
            {
                if (!TryRemoveEmptyFolder(_missingAtStart[i])) return;
            }
        }

        // Source-type folders may be left from a file whose writing failed or was cancelled; they go too when empty.
        private static bool TryRemoveEmptyTree(string folder)
        {
            try
            {
                foreach (var child in Directory.GetDirectories(folder)) TryRemoveEmptyTree(child);
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                return false;
            }
            return TryRemoveEmptyFolder(folder);
        }

        private static bool TryRemoveEmptyFolder(string folder)
        {
            try
            {
                // Not recursive: a folder that holds anything (a saved file, someone else's) stays.
                Directory.Delete(folder, false);
                return true;
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                return false;
            }
        }
    }
}
