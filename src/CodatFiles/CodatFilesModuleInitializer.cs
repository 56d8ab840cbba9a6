using System;
using System.Collections.Concurrent;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using CodatFiles.Connection;

namespace CodatFiles
{
    /// <summary>
    /// Runs when the module is imported and removed. CodatFiles.dll is the only assembly beside the manifest;
    /// the client and its closure (Polly, System.Text.Json, ...) live in <c>dependencies/</c>, where the runtime
    /// does not look on its own. This hooks AssemblyResolve so those assemblies load from there on both
    /// Windows PowerShell 5.1 and PowerShell 7, for this module's own requests only. (Isolation in its own
    /// AssemblyLoadContext is planned separately; the cmdlet assembly's public types already expose no
    /// dependency type, which that step needs.)
    /// </summary>
    public sealed class CodatFilesModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly Assembly ModuleAssembly = typeof(CodatFilesModuleInitializer).Assembly;

        private static readonly string DependencyDirectory = Path.Combine(
            Path.GetDirectoryName(ModuleAssembly.Location) ?? string.Empty, "dependencies");

        // The one dependency the cmdlets reference directly; everything else in dependencies/ is its closure.
        private const string ClientAssemblyName = "CodatFiles.Client";

        // Loaded once per simple name: AssemblyResolve can be raised many times for the same request.
        private static readonly ConcurrentDictionary<string, Assembly> Loaded =
            new ConcurrentDictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Hooks the resolver.</summary>
        public void OnImport()
        {
            // Unhook first so a second import in the same process does not register the handler twice.
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;
            AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;
        }

        /// <summary>Unhooks the resolver and retires cached clients so their HTTP connections close.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            // Clear first: retiring the clients touches CodatFiles.Client, which only the resolver can still find.
            ClientCache.Shared.Clear();
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;
        }

        private static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
        {
            try
            {
                var simpleName = new AssemblyName(args.Name).Name;
                if (string.IsNullOrEmpty(simpleName)) return null;
                if (!IsOwnRequest(args.RequestingAssembly, simpleName!)) return null;

                // Answer only for names we ship; anything else belongs to PowerShell.
                var candidate = Path.Combine(DependencyDirectory, simpleName + ".dll");
                if (!File.Exists(candidate)) return null;

                // Our dependencies ask for these with many versions (e.g. System.Memory wants an older
                // System.Runtime.CompilerServices.Unsafe); serving the shipped copy regardless of the requested
                // version stands in for the binding redirects Windows PowerShell cannot have.
                return Loaded.GetOrAdd(simpleName!, _ => Assembly.LoadFrom(candidate));
            }
            catch (Exception)
            {
                // A resolver that throws breaks unrelated loads; returning null lets the runtime report its own error.
                return null;
            }
        }

        /// <summary>
        /// Whether this module's code asked: another module may ship its own Polly or System.Text.Json, and
        /// serving it our copy (into the default context, for good) would break that module or hide its error.
        /// The runtime names no requester for some loads (reflection, Assembly.Load by name); of those, only the
        /// client itself is ours for sure.
        /// </summary>
        private static bool IsOwnRequest(Assembly? requester, string simpleName)
        {
            if (requester == null) return string.Equals(simpleName, ClientAssemblyName, StringComparison.OrdinalIgnoreCase);
            if (requester == ModuleAssembly) return true;
            foreach (var loaded in Loaded.Values)
            {
                if (loaded == requester) return true;
            }
            return false;
        }
    }
}
