using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CodatFiles.Completion
{
    /// <summary>Completes -CompanyId with the company ids used in this runspace, most recent first.</summary>
    public sealed class CompanyIdCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            SessionIdHistory.ForCurrentRunspace().Companies()
                .Select(id => id.ToString())
                .Where(id => Completions.Matches(id, wordToComplete))
                .Select(id => new CompletionResult(id, id, CompletionResultType.ParameterValue, "Company used in this session"));
    }

    /// <summary>
    /// Completes -ConnectionId with the connection ids used in this runspace; those used with the -CompanyId already
    /// on the command line come first.
    /// </summary>
    public sealed class ConnectionIdCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            Guid? company = fakeBoundParameters != null && fakeBoundParameters.Contains("CompanyId")
                && Guid.TryParse(Convert.ToString(PSObject.AsPSObject(fakeBoundParameters["CompanyId"]).BaseObject, CultureInfo.InvariantCulture), out var parsed)
                ? parsed
                : (Guid?)null;
            return SessionIdHistory.ForCurrentRunspace().Connections(company)
                .Where(pair => Completions.Matches(pair.Connection.ToString(), wordToComplete))
                .GroupBy(pair => pair.Connection)
                .Select(group => group.First())
                .Select(pair => new CompletionResult(pair.Connection.ToString(), pair.Connection.ToString(),
                    CompletionResultType.ParameterValue, $"Connection of company {pair.Company}"));
        }
    }

    /// <summary>
    /// Completes -SourceType with the source types seen in this session, then Codat's integration types (the
    /// sourceType of a file is the integration of the connection it was uploaded to).
    /// </summary>
    public sealed class SourceTypeCompleter : IArgumentCompleter
    {
        private static readonly string[] IntegrationTypes =
            { "Accounting", "Banking", "BankFeed", "BusinessDocuments", "Commerce", "Expense", "Other", "Unknown" };

        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            SessionIdHistory.ForCurrentRunspace().SourceTypes().Concat(IntegrationTypes)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Where(type => Completions.Matches(type, wordToComplete))
                .Select(type => new CompletionResult(type, type, CompletionResultType.ParameterValue, type));
    }

    internal static class Completions
    {
        /// <summary>Prefix match, ignoring case and any quote the user opened.</summary>
        public static bool Matches(string candidate, string? wordToComplete)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return candidate.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
        }
    }
}
