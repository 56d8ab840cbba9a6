using System;
using System.IO;
using System.Management.Automation;
using CodatFiles.Connection;
using CodatFiles.Loading;

namespace CodatFiles
{
    /// <summary>
    /// Runs when the module is imported and removed. CodatFiles.dll is the only assembly beside the manifest;
    /// the client and its closure (Polly, System.Text.Json, ...) live in <c>dependencies/</c>, where the runtime
    /// does not look on its own. Import hooks the <see cref="DependencyResolver"/>, which isolates them in the
    /// module's own load context on PowerShell 7 and serves them by name on Windows PowerShell 5.1.
    /// </summary>
    public sealed class CodatFilesModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        // One resolver and one load context per process: the cmdlet assembly stays loaded after Remove-Module, and a
        // re-import must find the client it already bound to.
        private static readonly DependencyResolver Resolver = new DependencyResolver(
            typeof(CodatFilesModuleInitializer).Assembly,
            Path.Combine(Path.GetDirectoryName(typeof(CodatFilesModuleInitializer).Assembly.Location) ?? string.Empty, "dependencies"),
            IsolatedLoadContext.TryCreate("CodatFiles"));

        /// <summary>Hooks the resolver.</summary>
        public void OnImport()
        {
            // Unhook first so a second import in the same process does not register the handler twice.
            AppDomain.CurrentDomain.AssemblyResolve -= Resolver.Resolve;
            AppDomain.CurrentDomain.AssemblyResolve += Resolver.Resolve;
        }

        /// <summary>Unhooks the resolver and retires cached clients so their HTTP connections close.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            // Clear first: retiring the clients touches CodatFiles.Client, which only the resolver can still find.
            ClientCache.Shared.Clear();
            AppDomain.CurrentDomain.AssemblyResolve -= Resolver.Resolve;
        }
    }
}
