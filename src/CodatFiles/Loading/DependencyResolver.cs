using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;

namespace CodatFiles.Loading
{
    /// <summary>
    /// Serves the assemblies in <c>dependencies/</c> (the client and its closure) to this module's own requests.
    /// <para>On PowerShell 7 they go into the module's own <see cref="IsolatedLoadContext"/>. The cmdlet assembly
    /// references only CodatFiles.Client, and its public surface names none of the client's types, so the client's
    /// public API is the whole bridge: when the cmdlets first need it, this loads every shipped assembly that the
    /// platform does not provide (the client, Polly.Core, Microsoft.Bcl.TimeProvider) into the context and hands back
    /// the context's client. A context answers from what it already holds before it asks the default context, so the
    /// client binds to our Polly.Core even when another module put another Polly.Core in the default context first,
    /// and that module can still load its own after us. Names the platform provides (System.Text.Json, System.Memory,
    /// ...) come from the platform, as they would for any .NET program; should the platform's copy be older than the
    /// one the client was built against (System.Text.Json on PowerShell 7.2), the default context refuses it and this
    /// serves the shipped copy, again into the context.</para>
    /// <para>On Windows PowerShell 5.1 there are no load contexts: the shipped copies are loaded with LoadFrom,
    /// whatever version was asked for, which stands in for the binding redirects that powershell.exe cannot have.</para>
    /// <para>Either way it answers only requests from the module or from an assembly it loaded: another module may ship
    /// its own Polly or System.Text.Json, and serving it our copy would break that module or hide its error.</para>
    /// </summary>
    internal sealed class DependencyResolver
    {
        // The one dependency the cmdlets reference directly; everything else in dependencies/ is its closure.
        private const string ClientAssemblyName = "CodatFiles.Client";

        private readonly Assembly _moduleAssembly;
        private readonly string _directory;
        private readonly IsolatedLoadContext? _context;
        private readonly ConcurrentDictionary<string, Lazy<Assembly>> _loaded =
            new ConcurrentDictionary<string, Lazy<Assembly>>(StringComparer.OrdinalIgnoreCase);
        private readonly Lazy<bool> _privateAssembliesLoaded;

        public DependencyResolver(Assembly moduleAssembly, string directory, IsolatedLoadContext? context)
        {
            _moduleAssembly = moduleAssembly;
            _directory = directory;
            _context = context;
            _privateAssembliesLoaded = new Lazy<bool>(LoadPrivateAssemblies, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>An AppDomain.AssemblyResolve handler.</summary>
        public Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            try
            {
                var simpleName = new AssemblyName(args.Name).Name;
                if (string.IsNullOrEmpty(simpleName) || !IsOwnRequest(args.RequestingAssembly, simpleName!)) return null;

                // Answer only for names we ship; anything else belongs to PowerShell.
                var path = PathOf(simpleName!);
                if (!File.Exists(path)) return null;
                if (_context != null && string.Equals(simpleName, ClientAssemblyName, StringComparison.OrdinalIgnoreCase))
                {
                    _ = _privateAssembliesLoaded.Value;
                }
                return Load(simpleName!, path);
            }
            catch (Exception)
            {
                // A resolver that throws breaks unrelated loads; returning null lets the runtime report its own error.
                return null;
            }
        }

        private string PathOf(string simpleName) => Path.Combine(_directory, simpleName + ".dll");

        private Assembly Load(string simpleName, string path) =>
            _loaded.GetOrAdd(simpleName, _ => new Lazy<Assembly>(
                () => _context != null ? _context.LoadFromAssemblyPath(path) : Assembly.LoadFrom(path),
                LazyThreadSafetyMode.ExecutionAndPublication)).Value;

        private bool LoadPrivateAssemblies()
        {
            var platform = PlatformAssemblies.Names();
            foreach (var path in Directory.GetFiles(_directory, "*.dll"))
            {
                var simpleName = Path.GetFileNameWithoutExtension(path);
                if (!platform.Contains(simpleName)) Load(simpleName, path);
            }
            return true;
        }

        /// <summary>
        /// Whether this module's code asked. The runtime names no requester for some loads (reflection, Assembly.Load
        /// by name); of those, only the client itself is ours for sure.
        /// </summary>
        private bool IsOwnRequest(Assembly? requester, string simpleName)
        {
            if (requester == null) return string.Equals(simpleName, ClientAssemblyName, StringComparison.OrdinalIgnoreCase);
            if (requester == _moduleAssembly) return true;
            return _loaded.Values.Any(loaded => loaded.IsValueCreated && loaded.Value == requester);
        }
    }
}
