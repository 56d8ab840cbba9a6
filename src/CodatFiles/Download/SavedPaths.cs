using System;
using System.Collections.Generic;
using CodatFiles.FileSystem;

namespace CodatFiles.Download
{
    /// <summary>
    /// The files one Save-CodatFiles call has written, and for which company. Planning gives each file of a company
    /// its own path, so a second write to one of these paths is another company's file of the same name in the same
    /// folder (CodatFiles.CompanyNameClash): what this call saved a moment ago is kept, never replaced (not even with
    /// -Force, which is about older files).
    /// </summary>
    internal sealed class SavedPaths
    {
        private readonly Dictionary<string, Guid> _paths = new Dictionary<string, Guid>(LocalPathComparison.Comparer);

        /// <summary>The company whose file this call saved at <paramref name="fullPath"/>, or null.</summary>
        public Guid? SavedBy(string fullPath) => _paths.TryGetValue(fullPath, out var company) ? company : (Guid?)null;

        public void Add(string fullPath, Guid companyId) => _paths[fullPath] = companyId;
    }
}
