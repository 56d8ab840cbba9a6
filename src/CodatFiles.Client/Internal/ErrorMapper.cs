using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// The one place where failures become the client's exceptions. Every message says what failed (operation,
    /// company, connection), why (status, reason, Codat's text and validation messages, or the network error),
    /// the correlation id, and what to do next; and goes through the redactor so no key can leak into it.
    /// </summary>
    internal sealed class ErrorMapper
    {
        private readonly SecretRedactor _redactor;
        private readonly string _serverDisplay;
        private readonly string _serverHost;

        public ErrorMapper(SecretRedactor redactor, string serverDisplay)
        {
            _redactor = redactor;
            _serverDisplay = serverDisplay;
            _serverHost = Uri.TryCreate(serverDisplay, UriKind.Absolute, out var server) ? server.Host : serverDisplay;
        }

        public static CodatErrorKind KindOf(int statusCode) => statusCode switch
        {
            400 => CodatErrorKind.BadRequest,
            401 => CodatErrorKind.Unauthorized,
            402 => CodatErrorKind.PaymentRequired,
            403 => CodatErrorKind.Forbidden,
            404 => CodatErrorKind.NotFound,
            408 => CodatErrorKind.RequestTimeout,
            407 => CodatErrorKind.ProxyAuthenticationRequired,
            429 => CodatErrorKind.TooManyRequests,
            503 => CodatErrorKind.ServiceUnavailable,
            _ when statusCode >= 500 && statusCode <= 599 => CodatErrorKind.ServerError,
            _ => CodatErrorKind.Other,
        };

        public CodatApiException ToApiException(CodatOperation operation, HttpFailure failure, int attempts, string? giveUpReason)
        {
            var kind = KindOf(failure.StatusCode);
            var message = new StringBuilder();
            message.Append(operation.Describe()).Append(" failed: ").Append(EndSentence(failure.Summary()));
            AppendValidation(message, failure.Error?.Validation, failure.Error?.Error);
            if (!string.IsNullOrWhiteSpace(failure.Error?.CorrelationId))
            {
                message.Append(" Correlation id: ").Append(failure.Error!.CorrelationId).Append('.');
            }

            var notFound = kind == CodatErrorKind.NotFound ? NotFoundSubjectOf(failure.Error?.Error) : (CodatNotFoundSubject?)null;
            message.Append(' ').Append(Advice(kind, operation, failure, notFound));
            AppendAttempts(message, attempts, giveUpReason);

            return new CodatApiException(_redactor.Redact(message.ToString()), operation.Name, attempts, failure.Summary(), giveUpReason,
                failure.StatusCode, kind, notFound, failure.Error, failure.BodySnippet, failure.RetryAfter, failure.RateLimit);
        }

        /// <summary>
        /// What a 404 says is missing, from Codat's message: it words these differently across endpoints ("No
        /// company was found with ID ...", "Company not found", "Data connection &lt;id&gt; not found").
        /// </summary>
        public static CodatNotFoundSubject NotFoundSubjectOf(string? codatMessage)
        {
            if (codatMessage is null) return CodatNotFoundSubject.Unknown;
            if (codatMessage.IndexOf("No company was found", StringComparison.OrdinalIgnoreCase) >= 0 ||
                codatMessage.IndexOf("Company not found", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return CodatNotFoundSubject.Company;
            }

            return codatMessage.IndexOf("Data connection", StringComparison.OrdinalIgnoreCase) >= 0 &&
                   codatMessage.IndexOf("not found", StringComparison.OrdinalIgnoreCase) >= 0
                ? CodatNotFoundSubject.Connection
                : CodatNotFoundSubject.Unknown;
        }

        /// <summary>A 2xx whose body is not what the spec promises (e.g. list-files not returning a JSON array).</summary>
        public CodatApiException ToUnexpectedBodyException(CodatOperation operation, int statusCode, int attempts, Exception reason, CodatRateLimit? rateLimit)
        {
            var why = _redactor.Redact($"HTTP {statusCode} arrived with a body that is not what the API defines ({reason.Message})");
            var message = $"{operation.Describe()} failed: {why}. " +
                          $"Check that the server URL {_serverDisplay} is Codat's API (or the emulator) and not a proxy or web page.";
            return new CodatApiException(_redactor.Redact(message), operation.Name, attempts, why, null, statusCode,
                CodatErrorKind.Other, null, null, null, null, rateLimit);
        }

        public CodatConnectionException ToConnectionException(CodatOperation operation, Exception last, int attempts, string? giveUpReason)
        {
            var problem = TransportFailure.Classify(last);
            if (problem != CodatConnectionProblem.NoAnswer)
            {
                return TransportFailure.ToException(operation, last, attempts, problem, _redactor, _serverDisplay, _serverHost);
            }

            var timeout = last as AttemptTimeoutException;
            var reason = Describe(last);
            var message = new StringBuilder();
            if (timeout != null)
            {
                message.Append(operation.Describe()).Append(" timed out: ").Append(EndSentence(reason))
                    .Append(timeout.BudgetRanOut
                        ? " Allow more time for the whole call (MaxElapsedTime), or check connectivity to "
                        : " Raise the per-attempt timeout for large transfers or slow links, or check connectivity to ")
                    .Append(_serverDisplay).Append('.');
            }
            else
            {
                message.Append(operation.Describe()).Append(" failed: no response from ").Append(_serverDisplay)
                    .Append(" (").Append(reason).Append(").")
                    .Append(" Check the network connection, proxy settings and the server URL.");
            }

            AppendAttempts(message, attempts, giveUpReason);
            return new CodatConnectionException(_redactor.Redact(message.ToString()), operation.Name, attempts, reason, giveUpReason,
                _serverDisplay, timeout != null, timeout?.BudgetRanOut ?? false, last)
            {
                TimeLimit = timeout?.Limit,
                Unreachable = timeout == null && IsUnreachable(last),
            };
        }

        /// <summary>True for failures that mean "no usable response": worth a retry, else a connection error.</summary>
        public static bool IsConnectionFailure(Exception exception) =>
            exception is AttemptTimeoutException || exception is HttpRequestException || exception is IOException ||
            exception is SocketException;

        /// <summary>
        /// True when no connection to the server could be made at all: refused, a name that does not resolve, an
        /// unreachable network, or a failed TLS handshake. (A reset or a timeout means the server was there.)
        /// </summary>
        public static bool IsUnreachable(Exception exception) =>
            Chain(exception).Any(e =>
                e is System.Security.Authentication.AuthenticationException ||
                e is SocketException socket && (socket.SocketErrorCode == SocketError.ConnectionRefused ||
                                                socket.SocketErrorCode == SocketError.HostNotFound ||
                                                socket.SocketErrorCode == SocketError.TryAgain ||
                                                socket.SocketErrorCode == SocketError.NoData ||
                                                socket.SocketErrorCode == SocketError.NetworkUnreachable ||
                                                socket.SocketErrorCode == SocketError.HostUnreachable));

        /// <summary>A short reason such as "connection reset: Connection reset by peer", for events and messages.</summary>
        public string Describe(Exception exception)
        {
            if (exception is AttemptTimeoutException timeout) return timeout.Message;

            var chain = Chain(exception).ToList();
            var socket = chain.OfType<SocketException>().FirstOrDefault();
            var category = socket?.SocketErrorCode switch
            {
                SocketError.ConnectionReset => "connection reset",
                SocketError.ConnectionAborted => "connection aborted",
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound => "host not found",
                SocketError.TimedOut => "connection timed out",
                SocketError.NetworkUnreachable => "network unreachable",
                SocketError.HostUnreachable => "host unreachable",
                null => chain.Any(e => e.Message.IndexOf("reset", StringComparison.OrdinalIgnoreCase) >= 0) ? "connection reset"
                    : chain.Any(e => e.Message.IndexOf("prematurely", StringComparison.OrdinalIgnoreCase) >= 0) ? "connection closed early"
                    : "connection error",
                _ => "connection error",
            };

            // The innermost message is the most specific; the outer ones are usually "error while sending". When it
            // already starts with the category ("Connection refused"), it is not said twice.
            var detail = chain.Last().Message.Trim();
            var text = detail.StartsWith(category, StringComparison.OrdinalIgnoreCase)
                ? category + detail.Substring(category.Length)
                : $"{category}: {detail}";
            return _redactor.Redact(text);
        }
        private static IEnumerable<Exception> Chain(Exception exception)
        {
            for (var current = exception; current != null; current = current.InnerException) yield return current;
        }

        private static string Advice(CodatErrorKind kind, CodatOperation operation, HttpFailure failure, CodatNotFoundSubject? notFound)
        {
            switch (kind)
            {
                case CodatErrorKind.BadRequest:
                    return operation.Name == CodatOperation.UploadFiles
                        ? "Check the files: Codat accepts PDF, XLS, XLSX, XLSB, CSV, DOC, DOCX, PPT, PPTX, JPEG, JPG and PNG files of up to 10 MB, at most 20 per request."
                        : "Check the request parameters (for a download, the date).";
                case CodatErrorKind.Unauthorized:
                    return "Check the API key: it must be a current key of your Codat instance, as shown in the Codat Portal.";
                case CodatErrorKind.PaymentRequired:
                    return "Your Codat account has reached a plan limit; review the plan and usage in the Codat Portal.";
                case CodatErrorKind.Forbidden:
                    return "The API key is outdated or has no access to this company; use a current key that does.";
                case CodatErrorKind.NotFound:
                    return NotFoundAdvice(operation, notFound);
                case CodatErrorKind.RequestTimeout:
                    return "The server gave up waiting for the request; check the network's upload speed and try again.";
                case CodatErrorKind.TooManyRequests:
                    return RateLimitAdvice(failure);
                case CodatErrorKind.ProxyAuthenticationRequired:
                    return TransportFailure.ProxyAuthenticationAdvice;
                case CodatErrorKind.ServiceUnavailable:
                    return "Codat is temporarily unavailable (often planned maintenance); try again later.";
                case CodatErrorKind.ServerError:
                    return "Codat had a server problem; try again later, and if it persists contact Codat support quoting the correlation id.";
                default:
                    return failure.RedirectLocation != null
                        ? "The Files API does not redirect: set the server URL to Codat's API itself (e.g. https://api.codat.io), not to a page that forwards elsewhere."
                        : "The status is not one the Files API documents; check the server URL and try again.";
            }
        }

        private static string NotFoundAdvice(CodatOperation operation, CodatNotFoundSubject? notFound)
        {
            if (operation.ConnectionId is Guid connection && notFound == CodatNotFoundSubject.Connection)
            {
                return $"Check the connection id: {connection} must be a connection of company {operation.CompanyId}.";
            }

            return operation.ConnectionId is null || notFound == CodatNotFoundSubject.Company
                ? $"Check the company id: {operation.CompanyId} must be a company of your Codat instance."
                : $"Check the company id {operation.CompanyId} and the connection id {operation.ConnectionId}: the connection must belong to the company.";
        }

        private static string RateLimitAdvice(HttpFailure failure)
        {
            var advice = new StringBuilder("Codat is rate limiting this client: ");
            if (failure.RetryAfter is TimeSpan wait)
            {
                var until = failure.ReceivedAt + wait;
                advice.Append("wait until ").Append(until.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture))
                    .Append(" (Retry-After ").Append(wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)).Append(" s) before trying again");
            }
            else
            {
                advice.Append("wait before trying again and send fewer requests at once (at most 10 concurrent per company)");
            }

            var rate = failure.RateLimit;
            if (rate?.Remaining == 0 && rate.Reset != null)
            {
                advice.Append("; the daily quota");
                if (rate.Limit is long limit) advice.Append(" of ").Append(limit.ToString(CultureInfo.InvariantCulture)).Append(" requests");
                advice.Append(" is used up and resets at ").Append(rate.Reset);
            }

            return advice.Append('.').ToString();
        }

        private static void AppendValidation(StringBuilder message, CodatErrorValidation? validation, string? errorText)
        {
            AppendItems(message, "Validation errors", validation?.Errors, errorText);
            AppendItems(message, "Validation warnings", validation?.Warnings, errorText);
        }

        /// <summary>Validation messages the error text does not already quote (servers often repeat them there).</summary>
        private static void AppendItems(StringBuilder message, string label, IList<CodatErrorValidationItem>? items, string? errorText)
        {
            var texts = items?
                .Select(i => i?.Message?.Trim().TrimEnd('.'))
                .Where(m => !string.IsNullOrWhiteSpace(m))
                .Where(m => errorText is null || errorText.IndexOf(m!, StringComparison.Ordinal) < 0)
                .ToList();
            if (texts is null || texts.Count == 0) return;
            message.Append(' ').Append(label).Append(": ").Append(string.Join("; ", texts)).Append('.');
        }

        private static void AppendAttempts(StringBuilder message, int attempts, string? giveUpReason)
        {
            if (attempts <= 1 && giveUpReason is null) return;
            message.Append(" (").Append(attempts.ToString(CultureInfo.InvariantCulture))
                .Append(attempts == 1 ? " attempt" : " attempts");
            if (giveUpReason != null) message.Append("; ").Append(giveUpReason);
            message.Append(".)");
        }

        private static string EndSentence(string text)
        {
            text = text.TrimEnd();
            return text.EndsWith(".", StringComparison.Ordinal) || text.EndsWith("!", StringComparison.Ordinal) || text.EndsWith("?", StringComparison.Ordinal)
                ? text
                : text + ".";
        }
    }
}
