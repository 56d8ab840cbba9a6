using System.Collections.Generic;
using CodatFiles.FileSystem;

namespace CodatFiles.Download
{
    /// <summary>
    /// The one owner of local names: gives each file of a company, fed in upload order, the path under
    /// -DestinationPath it is saved to. That is its name in the whole-company archive (<see cref="ArchiveEntryNamer"/>),
    /// each segment made valid by the platform's <see cref="LocalNameRules"/>, and where two files would then be one
    /// local file (a name and its Windows replacement, two Unicode spellings, two cases), the later one numbered
    /// " (2)", " (3)", … like Codat numbers repeated names. The same list always gives the same names, so a re-run
    /// finds the files an earlier run saved.
    /// </summary>
    internal sealed class LocalNamer
    {
        private readonly LocalNameRules _rules;
        private readonly HashSet<string> _used = new HashSet<string>();

        public LocalNamer(LocalNameRules rules) => _rules = rules;

        /// <summary>The local relative path ('/'-separated) of the next file, from its whole-archive name ("folder/name").</summary>
        public string PathFor(string wholeArchiveName)
        {
            var slash = wholeArchiveName.LastIndexOf('/');
            var folder = slash < 0 ? string.Empty : LocalFolder(wholeArchiveName.Substring(0, slash)) + "/";
            var name = _rules.LocalSegment(wholeArchiveName.Substring(slash + 1));
            var candidate = folder + name;
            var (stem, extension) = ArchiveEntryNamer.Split(name);
            for (var copy = 2; !_used.Add(_rules.CollisionKey(candidate)); copy++)
            {
                candidate = folder + _rules.LocalSegment(stem + " (" + copy + ")") + extension;
            }
            return candidate;
        }

        /// <summary>
        /// The local path of an archive entry the list did not name (uploaded after the list was read): each segment
        /// made valid, without numbering, since no list fixes its order. A clash with a saved file is then reported.
        /// </summary>
        public static string UnlistedPath(string entryName, LocalNameRules rules)
        {
            var segments = entryName.Replace('\\', '/').Split('/');
            for (var i = 0; i < segments.Length; i++) segments[i] = rules.LocalSegment(segments[i]);
            return string.Join("/", segments);
        }

        private string LocalFolder(string folder)
        {
            var segments = folder.Split('/');
            for (var i = 0; i < segments.Length; i++) segments[i] = _rules.LocalSegment(segments[i]);
            return string.Join("/", segments);
        }
    }
}
