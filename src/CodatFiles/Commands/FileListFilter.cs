using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace CodatFiles.Commands
{
    /// <summary>
    /// Get-CodatFileList's -Name, -Since and -Until as one test of a listed file. Used by the one worker that reads
    /// the list, so entries that do not match are dropped as they arrive and never reach the pipeline's queue.
    /// </summary>
    internal sealed class FileListFilter
    {
        private readonly List<WildcardPattern>? _namePatterns;
        private readonly DateTime? _since;
        private readonly DateTime? _until;

        /// <param name="names">Wildcard patterns, case-insensitive, against FileName or DisplayName; null for any name.</param>
        /// <param name="since">The earliest upload time (UTC) or null.</param>
        /// <param name="until">The latest upload time (UTC) or null.</param>
        public FileListFilter(IEnumerable<string>? names, DateTime? since, DateTime? until)
        {
            if (names != null)
            {
                _namePatterns = new List<WildcardPattern>();
                foreach (var name in names) _namePatterns.Add(new WildcardPattern(name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant));
            }
            _since = since;
            _until = until;
        }

        public bool Matches(CodatFileInfo file)
        {
            if (_namePatterns != null && !MatchesAName(file)) return false;
            if (_since == null && _until == null) return true;

            // A file without a readable upload time cannot be shown to fall inside a time window.
            if (file.Uploaded is not DateTime uploaded) return false;
            if (_since != null && uploaded < _since.Value) return false;
            return _until == null || uploaded <= _until.Value;
        }

        private bool MatchesAName(CodatFileInfo file)
        {
            foreach (var pattern in _namePatterns!)
            {
                if ((file.FileName != null && pattern.IsMatch(file.FileName)) ||
                    (file.DisplayName != null && pattern.IsMatch(file.DisplayName)))
                {
                    return true;
                }
            }
            return false;
        }
    }
}
