using System;
using System.Reflection;

namespace CodatFiles.Loading
{
    /// <summary>
    /// A custom, non-collectible AssemblyLoadContext on .NET (PowerShell 7), owned by this module. This assembly
    /// compiles against netstandard2.0, where AssemblyLoadContext is not visible, so the context is created and used
    /// through reflection: only its public (string, bool) constructor and LoadFromAssemblyPath are needed, because
    /// every private dependency is loaded into it by path up front (see <see cref="DependencyResolver"/>) instead of
    /// through a Load override, which would need a subclass. Reflection keeps the module one assembly for both
    /// editions; a second, net-targeted loader assembly would have to be found and loaded by reflection anyway.
    /// </summary>
    internal sealed class IsolatedLoadContext
    {
        private readonly object _context;
        private readonly MethodInfo _loadFromAssemblyPath;

        private IsolatedLoadContext(object context, MethodInfo loadFromAssemblyPath)
        {
            _context = context;
            _loadFromAssemblyPath = loadFromAssemblyPath;
        }

        /// <summary>A new context named <paramref name="name"/>, or null on .NET Framework, which has none.</summary>
        public static IsolatedLoadContext? TryCreate(string name)
        {
            // On .NET the type lives in the core library; .NET Framework has no such type.
            var type = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext");
            var constructor = type?.GetConstructor(new[] { typeof(string), typeof(bool) });
            var loadFromAssemblyPath = type?.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) });
            if (constructor == null || loadFromAssemblyPath == null) return null;
            return new IsolatedLoadContext(constructor.Invoke(new object[] { name, false }), loadFromAssemblyPath);
        }

        /// <summary>Loads the assembly at <paramref name="path"/> into this context.</summary>
        public Assembly LoadFromAssemblyPath(string path)
        {
            try
            {
                return (Assembly)_loadFromAssemblyPath.Invoke(_context, new object[] { path });
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                throw e.InnerException;
            }
        }
    }
}
