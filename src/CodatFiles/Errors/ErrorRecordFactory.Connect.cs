using System;
using System.Globalization;
using System.Management.Automation;
using CodatFiles.Client;
using CodatFiles.Connection;

namespace CodatFiles.Errors
{
    /// <summary>The errors and warning of Connect-Codat's check (see <see cref="ConnectionCheck"/>).</summary>
    internal static partial class ErrorRecordFactory
    {
        private const string NothingStored = " Connect-Codat stored nothing: the previous connection settings are unchanged.";
        private const string SkipCheckAdvice = " To store the settings without this check (offline set-up), run Connect-Codat again with -SkipCheck.";

        /// <summary>
        /// A failed check: the error a call would give (CodatFiles.Unauthorized, .Forbidden, .ConnectionFailed,
        /// .Timeout, ...), saying that nothing was stored.
        /// </summary>
        public static ErrorRecord ConnectCheckFailed(CodatException failure, Uri server)
        {
            var record = FromException(failure, server, $"Checking the API key with {DisplayOf(server)}");
            var message = record.ErrorDetails?.Message ?? failure.Message;
            var action = record.ErrorDetails?.RecommendedAction;
            record.ErrorDetails = new ErrorDetails(message + NothingStored)
            {
                RecommendedAction = (action ?? string.Empty) + SkipCheckAdvice,
            };
            return record;
        }

        /// <summary>
        /// Something answered the check, but not as Codat does: a 404 without Codat's company-not-found error (a
        /// gateway's page, a wrong base path), or a success answer for a company that cannot exist. A 404 keeps the
        /// id a call would give (CodatFiles.NotFound); anything else is CodatFiles.RequestFailed.
        /// </summary>
        public static ErrorRecord NotACodatServer(CodatApiException? answer, Uri server)
        {
            var status = answer?.StatusCode ?? 200;
            var said = answer is null ? "a list of files"
                : !string.IsNullOrWhiteSpace(answer.CodatMessage) ? "\"" + answer.CodatMessage!.Trim() + "\""
                : !string.IsNullOrWhiteSpace(answer.ResponseSnippet) ? "\"" + answer.ResponseSnippet + "\""
                : "no Codat error";
            var message = $"{DisplayOf(server)} is not a Codat server at this URL: asked for the files of the made-up company " +
                          $"{ConnectionCheck.MadeUpCompanyId}, it answered {status.ToString(CultureInfo.InvariantCulture)} with {said}, " +
                          "where Codat answers 404 with its JSON error \"No company was found\"." + NothingStored;
            var exception = (Exception?)answer ?? new PSInvalidOperationException(message);
            return Create(exception, status == 404 ? ErrorIds.NotFound : ErrorIds.RequestFailed, server, message,
                "Check -ServerUrl: give the base URL of Codat's API (https://api.codat.io) or of the emulator, without a path." + SkipCheckAdvice);
        }

        /// <summary>A 429 or 5xx to the check: the settings are stored, but the key is unchecked.</summary>
        public static string ConnectCheckInconclusive(CodatApiException answer, Uri server) =>
            $"Connect-Codat stored the settings, but could not check the API key: {DisplayOf(server)} answered " +
            $"{answer.StatusCode.ToString(CultureInfo.InvariantCulture)} ({CodatReason(answer) ?? answer.Reason}). " +
            "The server is there; the first call will show whether Codat accepts the key.";

        /// <summary>The server as messages show it: scheme, host, port and path, never user info.</summary>
        internal static string DisplayOf(Uri server) =>
            server.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
    }
}
