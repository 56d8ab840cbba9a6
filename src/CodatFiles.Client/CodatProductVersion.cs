using System;
using System.Reflection;

namespace CodatFiles.Client
{
    /// <summary>
    /// The one rule for the version a product token of the User-Agent carries (the client's own and a caller's, such
    /// as the PowerShell module): the assembly's informational version without the "+commit" suffix the SDK appends,
    /// else its assembly version. Directory.Build.props gives every assembly of the build the same one.
    /// </summary>
    public static class CodatProductVersion
    {
        /// <summary>The version of <paramref name="assembly"/>, e.g. <c>0.1.0</c>.</summary>
        public static string Of(Assembly assembly)
        {
            if (assembly is null) throw new ArgumentNullException(nameof(assembly));
            var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            if (!string.IsNullOrEmpty(informational))
            {
                var plus = informational!.IndexOf('+');
                return plus >= 0 ? informational.Substring(0, plus) : informational;
            }

            return assembly.GetName().Version?.ToString() ?? "0.0.0";
        }
    }
}
