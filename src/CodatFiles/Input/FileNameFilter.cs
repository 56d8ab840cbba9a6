using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace CodatFiles.Input
{
    /// <summary>
    /// Send-CodatFile's -Filter, -Include and -Exclude, as Get-ChildItem applies them to files: each tests the file's
    /// name (not its folder), case-insensitively. -Filter is the FileSystem provider's filter, so only * and ? are
    /// wildcards in it; -Include and -Exclude take PowerShell wildcards. A file is taken when it matches -Filter (if
    /// given), one -Include pattern (if given), and no -Exclude pattern. Folders are never filtered: -Recurse walks
    /// every folder, and an -Exclude that names a folder leaves its files in, as with Get-ChildItem.
    /// </summary>
    internal sealed class FileNameFilter
    {
        private const WildcardOptions Options = WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant;

        private readonly WildcardPattern? _filter;
        private readonly List<WildcardPattern>? _include;
        private readonly List<WildcardPattern>? _exclude;

        public FileNameFilter(string? filter, IEnumerable<string>? include, IEnumerable<string>? exclude)
        {
            if (!string.IsNullOrEmpty(filter)) _filter = new WildcardPattern(ProviderFilterAsWildcard(filter!), Options);
            _include = include?.Select(pattern => new WildcardPattern(pattern, Options)).ToList();
            _exclude = exclude?.Select(pattern => new WildcardPattern(pattern, Options)).ToList();
        }

        /// <summary>Takes every file.</summary>
        public static FileNameFilter None { get; } = new FileNameFilter(null, null, null);

        /// <summary>True when -Include was given: Get-ChildItem then no longer searches a wildcard path's leaf below its folder.</summary>
        public bool HasInclude => _include != null;

        /// <summary>Null when the file is taken, else the parameter that leaves it out (-Filter, -Include or -Exclude).</summary>
        public string? LeftOutBy(string fileName)
        {
            if (_filter != null && !_filter.IsMatch(fileName)) return "-Filter";
            if (_include != null && !_include.Any(pattern => pattern.IsMatch(fileName))) return "-Include";
            if (_exclude != null && _exclude.Any(pattern => pattern.IsMatch(fileName))) return "-Exclude";
            return null;
        }

        /// <summary>The provider's filter knows only * and ?: brackets and backticks in it are plain characters.</summary>
        private static string ProviderFilterAsWildcard(string filter)
        {
            var pattern = new StringBuilder(filter.Length);
            foreach (var c in filter)
            {
                if (c == '[' || c == ']' || c == '`') pattern.Append('`');
                pattern.Append(c);
            }
            return pattern.ToString();
        }
    }
}
