using System.Management.Automation;

namespace CodatFiles.Pipeline
{
    /// <summary>
    /// Writes the module's verbose lines. PowerShell 7 still gives a compiled cmdlet VerbosePreference Inquire when
    /// -Debug is bound without -Verbose (advanced functions got plain Continue for debug only), so every verbose line
    /// would stop a -Debug run at "Continue with this operation?" and fail a non-interactive one (a runbook). With
    /// -Debug alone, the verbose lines are left out; -Debug -Verbose shows both.
    /// </summary>
    internal static class VerboseOutput
    {
        public static void Write(PSCmdlet cmdlet, string text)
        {
            if (DebugWithoutVerbose(cmdlet)) return;
            cmdlet.WriteVerbose(text);
        }

        private static bool DebugWithoutVerbose(PSCmdlet cmdlet)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            return bound.TryGetValue("Debug", out var debug) && IsSet(debug) && !bound.ContainsKey("Verbose");
        }

        private static bool IsSet(object? value)
        {
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            return value is SwitchParameter switchValue ? switchValue.IsPresent : value is bool flag && flag;
        }
    }
}
