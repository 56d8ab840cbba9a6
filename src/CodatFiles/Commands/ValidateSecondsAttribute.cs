using System;
using System.Globalization;
using System.Management.Automation;
using CodatFiles.Connection;

namespace CodatFiles.Commands
{
    /// <summary>
    /// Validates a number of seconds: finite, not over one day (see RetryParameterTranslator.MaximumSeconds), and either at least 0 or,
    /// with <see cref="MustBePositive"/>, more than 0. A failure is an ordinary parameter-binding error.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class ValidateSecondsAttribute : ValidateArgumentsAttribute
    {
        /// <summary>Whether 0 is refused.</summary>
        public bool MustBePositive { get; set; }

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var raw = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            double seconds;
            try
            {
                seconds = Convert.ToDouble(raw, CultureInfo.InvariantCulture);
            }
            catch (Exception exception) when (exception is FormatException || exception is InvalidCastException || exception is OverflowException)
            {
                throw new ValidationMetadataException($"'{raw}' is not a number of seconds.");
            }

            var tooSmall = MustBePositive ? !(seconds > 0) : !(seconds >= 0);
            if (tooSmall || double.IsNaN(seconds) || seconds > RetryParameterTranslator.MaximumSeconds)
            {
                throw new ValidationMetadataException(string.Format(CultureInfo.CurrentCulture,
                    "{0} seconds is out of range: give a number {1} 0 and at most {2}.",
                    seconds, MustBePositive ? "greater than" : "of at least", RetryParameterTranslator.MaximumSeconds));
            }
        }
    }
}
