using System;
using System.Runtime.InteropServices;

namespace CodatFiles.FileSystem
{
    /// <summary>
    /// The one rule for comparing local paths: Windows and macOS folders usually ignore case, so "A.pdf" and
    /// "a.pdf" are one file there; elsewhere they are two.
    /// </summary>
    internal static class LocalPathComparison
    {
        private static readonly bool IgnoresCase =
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        /// <summary>For sets and dictionaries of full paths.</summary>
        public static StringComparer Comparer { get; } = IgnoresCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

        /// <summary>For comparing two paths or their prefixes.</summary>
        public static StringComparison Comparison { get; } = IgnoresCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
    }
}
