using System;
using System.Collections.Generic;
using System.IO;

namespace CodatFiles.Loading
{
    /// <summary>
    /// The simple names of the assemblies the .NET host serves to every load context: the runtime's and PowerShell's
    /// own (TRUSTED_PLATFORM_ASSEMBLIES). Empty on .NET Framework, which has no such list.
    /// </summary>
    internal static class PlatformAssemblies
    {
        public static HashSet<string> Names()
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
            {
                foreach (var path in list.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
                {
                    names.Add(Path.GetFileNameWithoutExtension(path));
                }
            }
            return names;
        }
    }
}
