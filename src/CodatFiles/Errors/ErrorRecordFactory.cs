using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using CodatFiles.Client;
using CodatFiles.Connection;
using CodatFiles.Pipeline;
using CodatFiles.Upload;

namespace CodatFiles.Errors
{
    /// <summary>
    /// The one place where failures become ErrorRecords and the one place their messages are worded (the client
    /// gives facts, see CodatException): stable ids with their categories from ErrorIds (docs/design/contracts.md),
    /// the target (the local file's FileInfo where there is one, so failures pipe back into Send-CodatFile; else the
    /// path, company id or file name), the original exception, and ErrorDetails carrying Codat's message,
    /// its correlation id and a recommended action.
    /// </summary>
    internal static partial class ErrorRecordFactory
    {
        /// <summary>Any exception from a client call or file operation, for one target.</summary>
        /// <param name="exception">The failure; client exceptions are kept as they are.</param>
        /// <param name="targetObject">The FileInfo, path or company id the failure is about.</param>
        /// <param name="activity">What was being done, e.g. "Uploading 'a.pdf'", to start the message.</param>
        public static ErrorRecord FromException(Exception exception, object? targetObject, string activity)
        {
            exception = Unwrap(exception);
            switch (exception)
            {
                case CodatApiException { Kind: CodatErrorKind.ProxyAuthenticationRequired } proxy:
                    return ProxyAuthenticationRequired(proxy, targetObject, activity);
                case CodatApiException api:
                    return FromApiException(api, targetObject, activity);
                case CodatUploadSourceException source:
                    return UploadSourceFailed(source.InnerException ?? source, targetObject, source.ChangedWhileSent);
                case CodatConnectionException { Problem: not CodatConnectionProblem.NoAnswer } permanent:
                    return PermanentTransportFailure(permanent, targetObject, activity);
                case CodatConnectionException connection:
                    return Create(connection, connection.TimedOut ? ErrorIds.Timeout : ErrorIds.ConnectionFailed, targetObject,
                        NoAnswer(activity, connection),
                        !connection.TimedOut
                            ? "Check the server URL (-ServerUrl, Connect-Codat, CODAT_SERVER_URL), the network and any proxy, then try again."
                            : connection.BudgetRanOut
                                ? "Check the network path to the server and try again later: the call's whole retry budget ran out."
                                : "Check the network path to the server, or allow more time per attempt with -TimeoutSec.");
                case TimeoutException timeout:
                    return Create(timeout, ErrorIds.Timeout, targetObject,
                        $"{activity} timed out: {timeout.Message}", "Allow more time per attempt with -TimeoutSec.");
                case FileNotFoundException _:
                case DirectoryNotFoundException _:
                    return Create(exception, ErrorIds.FileNotFound, targetObject,
                        $"{activity} failed: {exception.Message}", "Check that the file exists and try again.");
                case UnauthorizedAccessException _:
                    return Create(exception, ErrorIds.AccessDenied, targetObject,
                        $"{activity} failed: {exception.Message}", "Check the file system permissions of the path.");
                case InvalidDataException _:
                    return Create(exception, ErrorIds.InvalidArchive, targetObject,
                        $"{activity} failed: the archive is not a valid zip file. {exception.Message}", "Try the download again; if it persists, contact Codat support.");
                case IOException _:
                    return Create(exception, ErrorIds.FileSystemError, targetObject,
                        $"{activity} failed: {exception.Message}", "Check the disk and the path, then try again.");
                default:
                    return Create(exception, ErrorIds.Unexpected, targetObject,
                        $"{activity} failed: {exception.Message}", null);
            }
        }

        /// <summary>How upload errors start: "Uploading '&lt;full path&gt;'".</summary>
        public static string UploadActivity(string fullName) => $"Uploading '{fullName}'";

        /// <summary>
        /// How an upload file's errors start, naming its folder (the full path) and the company it was bound for:
        /// "Uploading '&lt;full path&gt;' to company &lt;id&gt;".
        /// </summary>
        public static string UploadActivity(FileInfo file) =>
            UploadActivity(file.FullName) + (UploadTargetNotes.CompanyOf(file) is Guid company ? $" to company {company:D}" : string.Empty);

        public static ErrorRecord NoApiKey() => Create(
            new PSInvalidOperationException(
                "No Codat API key was given. Pass one with -ApiKey (a SecureString) or -Credential (a PSCredential whose password " +
                "is the key), store one for the session with Connect-Codat, or set the environment variable " + ConnectionSettingsResolver.ApiKeyVariable + "."),
            ErrorIds.NoApiKey, null, null,
            "Run Connect-Codat -ApiKey (Read-Host -AsSecureString 'Codat API key'), pass -ApiKey, or set $env:" + ConnectionSettingsResolver.ApiKeyVariable + ".");

        public static ErrorRecord InvalidServerUrl(string value, string source, string problem) => Create(
            new PSArgumentException($"The server URL '{value}' from {source} cannot be used: {problem}."),
            ErrorIds.InvalidServerUrl, value, null,
            "Give an https URL such as https://api.codat.io (plain http only for a local emulator, e.g. http://127.0.0.1:5000).");

        public static ErrorRecord InvalidProxySettings(string message) => Create(
            new PSArgumentException(message), ErrorIds.InvalidProxySettings, null, null,
            "Give -Proxy an absolute http or https URL, add -ProxyCredential or -ProxyUseDefaultCredentials only with -Proxy, or use -NoProxy alone.");

        public static ErrorRecord AmbiguousApiKey() => Create(
            new PSArgumentException("Give the API key once: -ApiKey or -Credential, not both."),
            ErrorIds.AmbiguousApiKey, null, null, null);

        public static ErrorRecord ForceWithSkipExisting() => Create(
            new PSArgumentException("-Force sends the files Codat already holds and -SkipExisting skips them."), ErrorIds.ParameterConflict, null, null,
            "Use one of them: -Force to store every file again, -SkipExisting to never send a stored name.");

        public static ErrorRecord ClientCreationFailed(Exception exception, Uri serverUrl) => Create(
            exception, ErrorIds.ClientCreationFailed, UrlText.Of(serverUrl),
            $"Could not create the Codat client for {UrlText.Of(serverUrl)}: {UrlText.Of(exception.Message)}", null);

        /// <summary>
        /// A file Codat's 400 named in its validation errors: CodatFiles.BadRequest with Codat's reasons for this
        /// file only, so a batch's errors say which file to fix.
        /// </summary>
        public static ErrorRecord FileRejected(CodatApiException api, FileInfo file, IReadOnlyList<CodatErrorValidationItem> reasons)
        {
            var (id, action) = Classify(api, forUploads: true);
            return Create(api, id, file, CodatAnswered(UploadActivity(file) + " failed", api, JoinMessages(reasons)), action);
        }

        /// <summary>
        /// A file Codat did not object to, in a request it rejected because of other files (Codat stores a request
        /// whole or not at all): CodatFiles.BatchRejected, naming the files that were rejected and why.
        /// </summary>
        public static ErrorRecord BatchRejected(CodatApiException api, FileInfo file, IReadOnlyList<string> rejectedNames,
            IReadOnlyList<CodatErrorValidationItem> reasons)
        {
            var names = string.Join(", ", rejectedNames.Select(name => "'" + name + "'"));
            var message = new StringBuilder()
                .Append('\'').Append(file.FullName).Append('\'')
                .Append(UploadTargetNotes.CompanyOf(file) is Guid company ? $" (for company {company:D})" : string.Empty)
                .Append(" was not stored because ").Append(names)
                .Append(" in the same request ").Append(rejectedNames.Count == 1 ? "was" : "were").Append(" rejected: ")
                .Append(JoinMessages(reasons));
            return Create(api, ErrorIds.BatchRejected, file, EndSentence(message, api),
                $"Fix or remove {names} and send this one again.");
        }

        private static ErrorRecord FromApiException(CodatApiException api, object? targetObject, string activity)
        {
            if (IsQuotaSpent(api)) return QuotaExhausted(api, targetObject, activity);
            var (id, action) = Classify(api, ForUploads(api, targetObject));
            return Create(api, id, targetObject, CodatAnswered(activity + " failed", api, CodatReasonWithValidation(api)), action);
        }

        /// <summary>The error id and recommended action of a Codat answer, by its status (and what a 404 says is missing).</summary>
        private static (string Id, string? Action) Classify(CodatApiException api, bool forUploads)
        {
            switch (api.Kind)
            {
                case CodatErrorKind.BadRequest:
                    return (ErrorIds.BadRequest,
                        "Check the request: upload limits are 20 files a request, 10 MB a file and the allowed types.");
                case CodatErrorKind.Unauthorized:
                    return (ErrorIds.Unauthorized,
                        "Check the API key (-ApiKey, Connect-Codat or CODAT_API_KEY) in Codat's portal.");
                case CodatErrorKind.PaymentRequired:
                    return (ErrorIds.PaymentRequired,
                        "An account limit was reached; check your Codat plan or contact Codat.");
                case CodatErrorKind.Forbidden:
                    return (ErrorIds.Forbidden,
                        "The key is outdated or has no access to this company; use a current key for this client.");
                case CodatErrorKind.NotFound when api.NotFound == CodatNotFoundSubject.Company:
                    return (ErrorIds.CompanyNotFound,
                        "Check -CompanyId: the company does not exist for this API key.");
                case CodatErrorKind.NotFound when api.NotFound == CodatNotFoundSubject.Connection:
                    return (ErrorIds.ConnectionNotFound,
                        "Check -ConnectionId: the data connection does not exist for this company.");
                case CodatErrorKind.NotFound:
                    return (ErrorIds.NotFound, "Check -CompanyId and -ConnectionId, and -ServerUrl.");
                case CodatErrorKind.RequestTimeout:
                    return (ErrorIds.Timeout,
                        "Try again later; if -MaximumRetryCount limited the attempts, allow more.");
                case CodatErrorKind.TooManyRequests:
                    return (ErrorIds.RateLimited, RateLimitedAdvice(api, forUploads));
                case CodatErrorKind.ProxyAuthenticationRequired:
                    return (ErrorIds.ProxyAuthenticationRequired, ProxyCredentialAdvice);
                case CodatErrorKind.ServiceUnavailable:
                    return (ErrorIds.ServiceUnavailable,
                        "Codat is unavailable (maintenance); try again later.");
                case CodatErrorKind.ServerError:
                    return (ErrorIds.ServerError,
                        "Codat had an internal error; try again, and quote the correlation id to Codat support if it persists.");
                default:
                    return api.StatusCode >= 500 ? (ErrorIds.ServerError, (string?)null)
                        : api.StatusCode >= 300 && api.StatusCode <= 399
                            ? (ErrorIds.RequestFailed, "Give the URL of Codat's API itself (-ServerUrl, Connect-Codat, CODAT_SERVER_URL): API calls are not sent on to where a server redirects.")
                        : api.StatusCode >= 200 && api.StatusCode <= 299
                            ? (ErrorIds.RequestFailed, "Check that the server URL (-ServerUrl, Connect-Codat, CODAT_SERVER_URL) is Codat's API, not a proxy's or a web page.")
                        : (ErrorIds.RequestFailed, (string?)null);
            }
        }

        /// <summary>
        /// "&lt;lead&gt;: Codat answered 400[ after n attempts]: &lt;reason&gt;[ (correlation id x)].[ Why it gave up.]",
        /// or, when the answer carried no text of its own, the client's reason ("HTTP 502 Bad Gateway") in its place.
        /// </summary>
        private static string CodatAnswered(string lead, CodatApiException api, string? reason)
        {
            var message = new StringBuilder(lead);
            if (reason is null)
            {
                message.Append(AfterAttempts(api)).Append(": ").Append(api.Reason);
            }
            else
            {
                message.Append(": Codat answered ").Append(api.StatusCode.ToString(CultureInfo.InvariantCulture))
                    .Append(AfterAttempts(api)).Append(": ").Append(reason);
            }

            return EndSentence(message, api);
        }

        /// <summary>
        /// "&lt;lead&gt; failed[ after n attempts]: no response from &lt;server&gt; (&lt;reason&gt;).[ Why it gave up.]", or
        /// "&lt;lead&gt; timed out[ after n attempts]: &lt;the timeout that stopped the attempt&gt;.[ Why it gave up.]".
        /// </summary>
        private static string NoAnswer(string lead, CodatConnectionException connection)
        {
            var message = new StringBuilder(lead);
            if (connection.TimedOut)
            {
                message.Append(" timed out").Append(AfterAttempts(connection)).Append(": ").Append(RetryWording.TimeoutReason(connection));
            }
            else
            {
                message.Append(" failed").Append(AfterAttempts(connection)).Append(": no response from ").Append(connection.Server)
                    .Append(" (").Append(connection.Reason).Append(')');
            }

            return EndSentence(message, connection);
        }

        private static string AfterAttempts(CodatException exception) =>
            exception.Attempts > 1 ? " after " + Counted.Attempts(exception.Attempts) : string.Empty;

        /// <summary>Adds Codat's correlation id (to quote to support), a closing full stop, and why no retry followed.</summary>
        private static string EndSentence(StringBuilder message, CodatException exception)
        {
            if (exception is CodatApiException { CorrelationId: { Length: > 0 } correlationId })
            {
                message.Append(" (correlation id ").Append(correlationId).Append(')');
            }

            if (!message.ToString().EndsWith(".", StringComparison.Ordinal)) message.Append('.');
            if (RetryWording.GiveUp(exception) is { Length: > 0 } why)
            {
                message.Append(' ').Append(char.ToUpperInvariant(why[0])).Append(why.Substring(1));
                if (!why.EndsWith(".", StringComparison.Ordinal)) message.Append('.');
            }

            return message.ToString();
        }

        private static Exception Unwrap(Exception exception)
        {
            while (exception is AggregateException aggregate && aggregate.InnerExceptions.Count == 1)
            {
                exception = aggregate.InnerExceptions[0];
            }
            return exception;
        }

        private static ErrorRecord Create(Exception exception, string id, object? targetObject, string? detailsMessage, string? recommendedAction)
        {
            var record = new ErrorRecord(exception, id, ErrorIds.Categories[id], targetObject);
            if (detailsMessage != null || recommendedAction != null)
            {
                record.ErrorDetails = new ErrorDetails(detailsMessage ?? exception.Message);
                if (recommendedAction != null) record.ErrorDetails.RecommendedAction = recommendedAction;
            }
            return record;
        }
    }
}
