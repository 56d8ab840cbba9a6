using System;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace CodatFiles.FileSystem
{
    /// <summary>
    /// What one platform's file system allows in a file or folder name, and which two names it holds as one file.
    /// Codat stores any name; <see cref="Download.LocalNamer"/> uses these rules to give each stored name a local name the
    /// file system can hold and no other file of the company shares. The rules are chosen from the running system
    /// (<see cref="Current"/>), and given explicitly in tests, so every platform's rules are tested anywhere.
    /// </summary>
    internal sealed class LocalNameRules
    {
        // Windows refuses these in any name; '/' and '\' never reach here (archive naming makes them '_').
        private const string WindowsInvalidCharacters = "<>:\"/\\|?*";

        // Device names Windows opens instead of a file, with any extension ("nul.txt") and any case.
        private static readonly string[] WindowsDeviceNames =
            new[] { "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$" }
                .Concat(new[] { "COM", "LPT" }.SelectMany(port => "123456789\u00b9\u00b2\u00b3".Select(digit => port + digit)))
                .ToArray();

        private LocalNameRules(string platform, bool windowsNames, bool normalizationInsensitive, bool ignoresCase)
        {
            Platform = platform;
            WindowsNames = windowsNames;
            NormalizationInsensitive = normalizationInsensitive;
            IgnoresCase = ignoresCase;
        }

        /// <summary>Windows (NTFS, ReFS, FAT): Windows' character and device-name rules; case-insensitive.</summary>
        public static LocalNameRules Windows { get; } = new LocalNameRules("Windows", windowsNames: true, normalizationInsensitive: false, ignoresCase: true);

        /// <summary>macOS (APFS, HFS+ as formatted by default): two Unicode spellings of one name are one file; case-insensitive.</summary>
        public static LocalNameRules MacOS { get; } = new LocalNameRules("macOS", windowsNames: false, normalizationInsensitive: true, ignoresCase: true);

        /// <summary>Linux and other Unix: any name without '/' and NUL; names differ by case and by Unicode spelling.</summary>
        public static LocalNameRules Linux { get; } = new LocalNameRules("Linux", windowsNames: false, normalizationInsensitive: false, ignoresCase: false);

        /// <summary>The rules of the system the module runs on.</summary>
        public static LocalNameRules Current { get; } =
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? Windows
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? MacOS
            : Linux;

        public string Platform { get; }

        /// <summary>Windows' invalid characters, device names, and trailing dots and spaces are replaced.</summary>
        public bool WindowsNames { get; }

        /// <summary>The NFC and NFD spellings of a name (e.g. of "café.pdf") are one file.</summary>
        public bool NormalizationInsensitive { get; }

        /// <summary>"Report.pdf" and "report.pdf" are one file.</summary>
        public bool IgnoresCase { get; }

        /// <summary>
        /// A name the file system can hold for one path segment (a folder or file name), as close to
        /// <paramref name="segment"/> as allowed. Under Windows' rules: each invalid character and control character
        /// becomes '_', a device name gets '_' after its base name ("nul.txt" → "nul_.txt"), and trailing dots and
        /// spaces become '_' (Windows would drop them, so "a." and "a" would be one file). Elsewhere the segment is
        /// kept as it is: the archive's naming has already replaced separators and control characters.
        /// </summary>
        public string LocalSegment(string segment)
        {
            if (!WindowsNames) return segment;
            var builder = new StringBuilder(segment.Length + 1);
            foreach (var c in segment)
            {
                builder.Append(char.IsControl(c) || WindowsInvalidCharacters.IndexOf(c) >= 0 ? '_' : c);
            }
            for (var i = builder.Length - 1; i >= 0 && (builder[i] == '.' || builder[i] == ' '); i--) builder[i] = '_';

            var name = builder.ToString();
            var dot = name.IndexOf('.');
            var baseName = (dot < 0 ? name : name.Substring(0, dot)).TrimEnd(' ');
            if (WindowsDeviceNames.Contains(baseName, StringComparer.OrdinalIgnoreCase))
            {
                var end = dot < 0 ? name.Length : dot;
                name = name.Substring(0, end) + "_" + name.Substring(end);
            }
            return name;
        }

        /// <summary>
        /// The form under which two names are one file on this system: NFC when spellings are one file, upper case
        /// (invariant) when case is ignored. Two local names with equal keys collide.
        /// </summary>
        public string CollisionKey(string localPath)
        {
            var key = NormalizationInsensitive ? NfcName.Of(localPath) : localPath;
            return IgnoresCase ? key.ToUpperInvariant() : key;
        }
    }
}
