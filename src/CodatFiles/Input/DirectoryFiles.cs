using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CodatFiles.Input
{
    /// <summary>
    /// The files beneath a directory as Get-ChildItem -Recurse -File lists them without -Force: hidden files and
    /// folders are left out, and links to folders are not followed (they could lead back up the tree). Files come
    /// folder by folder in ordinal name order, so a call's order and its batches are the same on every run.
    /// </summary>
    internal static class DirectoryFiles
    {
        public static IEnumerable<FileInfo> Beneath(DirectoryInfo root)
        {
            var folders = new Stack<DirectoryInfo>();
            folders.Push(root);
            while (folders.Count > 0)
            {
                var folder = folders.Pop();
                foreach (var file in folder.GetFiles().Where(IsListed).OrderBy(file => file.Name, StringComparer.Ordinal))
                {
                    yield return file;
                }

                // Pushed in reverse so the first subfolder by name is walked first.
                var subfolders = folder.GetDirectories()
                    .Where(sub => IsListed(sub) && (sub.Attributes & FileAttributes.ReparsePoint) == 0)
                    .OrderByDescending(sub => sub.Name, StringComparer.Ordinal);
                foreach (var sub in subfolders) folders.Push(sub);
            }
        }

        private static bool IsListed(FileSystemInfo entry) => (entry.Attributes & FileAttributes.Hidden) == 0;
    }
}
