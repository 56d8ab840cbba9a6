using System;

namespace CodatFiles.Connection
{
    /// <summary>The -Scope values of Connect-Codat and Disconnect-Codat and the session state each one means.</summary>
    internal static class ConnectionScope
    {
        public const string Runspace = "Runspace";
        public const string Process = "Process";

        public static bool IsProcess(string scope) => string.Equals(scope, Process, StringComparison.OrdinalIgnoreCase);

        public static CodatSessionState StateOf(string scope) =>
            IsProcess(scope) ? CodatSessionState.Process : CodatSessionState.ForCurrentRunspace();

        public static string Describe(string scope) => IsProcess(scope) ? "process (every runspace without its own)" : "session";

        public static string ParameterFor(string scope) => IsProcess(scope) ? " -Scope Process" : string.Empty;
    }
}
