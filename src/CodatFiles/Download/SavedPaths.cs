using System.Collections.Generic;
using CodatFiles.FileSystem;

namespace CodatFiles.Download
{
    /// <summary>
    /// The files one Save-CodatFiles call has written. Planning gives each file of a company its own path, so a
    /// second write to one of these paths can only be another company's file of the same name in the same folder:
    /// what this call saved a moment ago is kept, never replaced (not even with -Force, which is about older files).
    /// </summary>
    internal sealed class SavedPaths
    {
        private readonly HashSet<string> _paths = new HashSet<string>(LocalPathComparison.Comparer);

        public bool Contains(string fullPath) => _paths.Contains(fullPath);

        public void Add(string fullPath) => _paths.Add(fullPath);
    }
}
