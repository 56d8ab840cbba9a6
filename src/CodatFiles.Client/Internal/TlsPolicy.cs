using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Security.Authentication;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// The TLS versions the client's own handler offers. Set on the handler only, never through the process-wide
    /// ServicePointManager, which other modules of the same PowerShell session depend on.
    /// </summary>
    internal static class TlsPolicy
    {
        // SslProtocols.Tls13: netstandard2.0's enum predates it.
        internal const SslProtocols Tls13 = (SslProtocols)12288;

        // Windows Server 2022 (build 20348) and Windows 11 are the first Windows with TLS 1.3 in SChannel; every such
        // build ships .NET Framework 4.8 or later, the first that knows the value.
        private const int FirstWindowsBuildWithTls13 = 20348;

        /// <summary>
        /// On .NET Framework (Windows PowerShell 5.1) the default depends on the registry and the process's target
        /// framework and can leave TLS 1.2 out on older Windows, so the handler asks for TLS 1.2, plus TLS 1.3 where
        /// the OS has it. On .NET (PowerShell 7) None lets the OS choose, which offers TLS 1.2 and 1.3 where it has
        /// them, as .NET recommends.
        /// </summary>
        public static SslProtocols For(bool isNetFramework, bool isWindows, Version osVersion)
        {
            if (!isNetFramework) return SslProtocols.None;
            var protocols = SslProtocols.Tls12;
            if (isWindows && osVersion.Major >= 10 && osVersion.Build >= FirstWindowsBuildWithTls13) protocols |= Tls13;
            return protocols;
        }

        /// <summary>The policy of this process's runtime and OS.</summary>
        [SuppressMessage("Security", "CA5397:Do not use deprecated SslProtocols values", Justification =
            "False positive: the analyzer reads StringComparison.OrdinalIgnoreCase (5) as an SslProtocols value. For " +
            "returns only None, Tls12 or Tls12 | Tls13.")]
        public static SslProtocols ForCurrentProcess() => For(
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase),
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows),
            Environment.OSVersion.Version);
    }
}
