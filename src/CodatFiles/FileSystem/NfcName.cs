using System;
using System.Text;

namespace CodatFiles.FileSystem
{
    /// <summary>
    /// The Unicode NFC spelling of a name, for comparing names that may come in other forms: macOS file systems
    /// hand out decomposed (NFD) names, while the same name typed or stored elsewhere is usually composed.
    /// </summary>
    internal static class NfcName
    {
        /// <summary>The NFC spelling; a name with a lone surrogate has none and is compared as it is.</summary>
        public static string Of(string value)
        {
            try
            {
                return value.Normalize(NormalizationForm.FormC);
            }
            catch (ArgumentException)
            {
                return value;
            }
        }
    }
}
