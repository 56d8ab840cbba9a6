using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CodatFiles.Pipeline;

namespace CodatFiles.Input
{
    /// <summary>
    /// The files of one input path that -Filter, -Include or -Exclude left out, for one -Verbose line. They are not
    /// errors and not inputs: like Get-ChildItem, which never returns them, the call's summary does not count them.
    /// </summary>
    internal sealed class LeftOutFiles
    {
        // Enough to recognise what was left out; the count says how many more there were.
        private const int NamesShown = 5;

        private readonly List<(FileInfo File, string Parameter)> _files = new List<(FileInfo, string)>();

        public int Count => _files.Count;

        public void Add(FileInfo file, string parameter) => _files.Add((file, parameter));

        /// <summary>"'acme/*': 2 files left out by -Exclude (Thumbs.db in /data/acme, notes.txt in /data/acme)", or null for none.</summary>
        public string? Describe(string path, Guid companyId)
        {
            if (_files.Count == 0) return null;
            var parameters = string.Join(", ", _files.Select(f => f.Parameter).Distinct());
            var shown = string.Join(", ", _files.Take(NamesShown).Select(f => $"'{f.File.Name}' in {f.File.DirectoryName}"));
            var more = _files.Count > NamesShown ? $", and {Counted.Files(_files.Count - NamesShown)} more" : "";
            return $"'{path}' for company {companyId}: {Counted.Files(_files.Count)} left out by {parameters} ({shown}{more}); not sent, not counted.";
        }
    }
}
