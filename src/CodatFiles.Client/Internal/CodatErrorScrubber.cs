using System.Collections.Generic;
using System.Linq;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Copies Codat's error body with the key scrubbed from every text field, before the client stores it:
    /// callers show <see cref="CodatApiException.Error"/> themselves (the cmdlets print Error.Error), so
    /// scrubbing only the exception message would not be enough.
    /// </summary>
    internal static class CodatErrorScrubber
    {
        public static CodatError? Scrub(CodatError? error, SecretRedactor redactor)
        {
            if (error is null) return null;
            return new CodatError
            {
                StatusCode = error.StatusCode,
                Service = Text(error.Service, redactor),
                Error = Text(error.Error, redactor),
                CorrelationId = Text(error.CorrelationId, redactor),
                Validation = error.Validation is null ? null : new CodatErrorValidation
                {
                    Errors = Scrub(error.Validation.Errors, redactor),
                    Warnings = Scrub(error.Validation.Warnings, redactor),
                },
                CanBeRetried = Text(error.CanBeRetried, redactor),
                DetailedErrorCode = error.DetailedErrorCode,
            };
        }

        private static List<CodatErrorValidationItem>? Scrub(IList<CodatErrorValidationItem>? items, SecretRedactor redactor) =>
            items?.Select(item => item is null ? null! : new CodatErrorValidationItem
            {
                ItemId = Text(item.ItemId, redactor),
                Message = Text(item.Message, redactor),
                ValidatorName = Text(item.ValidatorName, redactor),
            }).ToList();

        /// <summary>Null stays null, so a caller can still tell "absent" from "empty".</summary>
        private static string? Text(string? text, SecretRedactor redactor) => text is null ? null : redactor.Redact(text);
    }
}
