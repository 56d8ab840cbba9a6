using System;
using System.Collections.Generic;
using System.IO;

namespace CodatFiles.Upload
{
    /// <summary>
    /// Which local file of this call will be stored under which name for which company. Codat keeps only the file
    /// name, not the folder it came from, so two different local files with one name (tree/inv1.pdf and
    /// tree/a/inv1.pdf) become two files that cannot be told apart after a download.
    /// </summary>
    internal sealed class StoredNameRegistry
    {
        // Tuple equality compares the name ordinally: Codat stores it exactly as sent, so only equal names collide.
        private readonly Dictionary<(Guid Company, string Name), string> _firstPathByName =
            new Dictionary<(Guid Company, string Name), string>();

        /// <summary>
        /// Records <paramref name="file"/> for <paramref name="companyId"/>; returns the path of a different file of
        /// this call already bound for the same name and company, or null.
        /// </summary>
        public string? Register(Guid companyId, FileInfo file)
        {
            var key = (companyId, file.Name);
            if (_firstPathByName.TryGetValue(key, out var first))
            {
                return string.Equals(first, file.FullName, StringComparison.Ordinal) ? null : first;
            }
            _firstPathByName.Add(key, file.FullName);
            return null;
        }

        /// <summary>The warning for two local files bound for one stored name.</summary>
        public static string Collision(string firstPath, FileInfo file, Guid companyId) =>
            $"'{firstPath}' and '{file.FullName}' would both be stored as '{file.Name}' for company {companyId}: " +
            "Codat keeps only the file name, so after a download they cannot be told apart. Rename one of them to keep them distinct.";
    }
}
