using System;
using System.Collections.Generic;
using System.Linq;
using CodatFiles.Client;

namespace CodatFiles.Errors
{
    /// <summary>What Codat's answer said, as the module's messages quote it: its message, or a body's start, and the validation errors.</summary>
    internal static partial class ErrorRecordFactory
    {
        /// <summary>What the answer itself said: Codat's message, or the start of a body that was not Codat's; null when neither.</summary>
        private static string? CodatReason(CodatApiException api) =>
            !string.IsNullOrWhiteSpace(api.CodatMessage) ? api.CodatMessage
            : !string.IsNullOrWhiteSpace(api.ResponseSnippet) ? api.ResponseSnippet
            : null;

        /// <summary>
        /// Codat's message plus the validation errors it does not already quote: when they could not be tied to
        /// a file, they are still the only place that says what was wrong.
        /// </summary>
        private static string? CodatReasonWithValidation(CodatApiException api)
        {
            var reason = CodatReason(api);
            if (reason is null) return null;
            var unquoted = ValidationErrors(api).Where(item => reason.IndexOf(MessageOf(item), StringComparison.Ordinal) < 0).ToList();
            return unquoted.Count == 0 ? reason : reason.TrimEnd() + " " + JoinMessages(unquoted);
        }

        private static IEnumerable<CodatErrorValidationItem> ValidationErrors(CodatApiException api) =>
            api.Error?.Validation?.Errors?.Where(item => item != null && !string.IsNullOrWhiteSpace(item.Message))
            ?? Enumerable.Empty<CodatErrorValidationItem>();

        private static string JoinMessages(IEnumerable<CodatErrorValidationItem> items) =>
            string.Join(" ", items.Select(item => EnsureFullStop(MessageOf(item))));

        private static string MessageOf(CodatErrorValidationItem item) => item.Message?.Trim() ?? string.Empty;

        private static string EnsureFullStop(string text) => text.EndsWith(".", StringComparison.Ordinal) ? text : text + ".";
    }
}
