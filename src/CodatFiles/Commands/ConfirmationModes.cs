using System.Management.Automation;

namespace CodatFiles.Commands
{
    /// <summary>Whether a call runs under -WhatIf, or may ask -Confirm questions, from its parameters or the preference variables.</summary>
    internal static class ConfirmationModes
    {
        /// <summary>True under -WhatIf, or $WhatIfPreference set and not overridden by -WhatIf:$false.</summary>
        public static bool IsWhatIf(PSCmdlet cmdlet)
        {
            if (cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)) return LanguagePrimitives.IsTrue(whatIf);
            return LanguagePrimitives.IsTrue(cmdlet.SessionState.PSVariable.GetValue("WhatIfPreference"));
        }

        /// <summary>True when ShouldProcess may ask the user (-Confirm, or $ConfirmPreference at or below the impact).</summary>
        public static bool PromptsPossible(PSCmdlet cmdlet, ConfirmImpact impact)
        {
            if (cmdlet.MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm))
            {
                return confirm is SwitchParameter requested && requested.IsPresent;
            }

            var preference = cmdlet.SessionState.PSVariable.GetValue("ConfirmPreference");
            return preference is ConfirmImpact threshold && threshold != ConfirmImpact.None && threshold <= impact;
        }
    }
}
