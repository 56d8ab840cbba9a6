using System;
using System.Collections.Generic;
using CodatFiles.FileSystem;

namespace CodatFiles.Upload
{
    /// <summary>
    /// The files of one call already taken, per company and connection: the same file given twice in one call
    /// (two paths, a wildcard and a literal path, a pipeline that repeats) is sent once. The same file to another
    /// company or connection is another upload. Paths compare as the platform's folders do (<see cref="LocalPathComparison"/>).
    /// </summary>
    internal sealed class DuplicateInputs
    {
        private readonly HashSet<string> _taken = new HashSet<string>(LocalPathComparison.Comparer);

        /// <summary>True when this file was already taken for this company and connection in this call.</summary>
        public bool IsRepeat(Guid companyId, Guid connectionId, string fullName) =>
            !_taken.Add(companyId.ToString("N") + connectionId.ToString("N") + "|" + fullName);
    }
}
