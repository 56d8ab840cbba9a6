using System;
using System.Net.Http;
using System.Threading.Tasks;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Sends one attempt's request (response headers read, body left to the caller) and, when the call has an
    /// <see cref="CodatCallOptions.OnHttpExchange"/> observer, tells it how the exchange went. Every request of the
    /// client goes through here, so the trace has one line per HTTP exchange, retries included, and so every
    /// answer's Date reaches the estimate of Codat's clock (<see cref="ServerClock"/>).
    /// </summary>
    internal sealed class ObservedHttpSender
    {
        private readonly HttpClient _http;
        private readonly SecretRedactor _redactor;
        private readonly TimeProvider _time;
        private readonly ServerClock _serverClock;

        public ObservedHttpSender(HttpClient http, SecretRedactor redactor, TimeProvider time, ServerClock serverClock)
        {
            _time = time;
            _http = http;
            _redactor = redactor;
            _serverClock = serverClock;
        }

        public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, AttemptContext attempt)
        {
            var observer = attempt.CallOptions?.OnHttpExchange;
            var sentAt = _serverClock.ClientNow();
            if (observer == null)
            {
                var answer = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.CancellationToken).ConfigureAwait(false);
                _serverClock.Observe(answer, sentAt, _serverClock.ClientNow());
                return answer;
            }

            var started = _time.GetTimestamp();
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                Report(observer, request, attempt, null, _time.GetElapsedTime(started), null, _redactor.Redact(exception.GetType().Name + ": " + exception.Message));
                throw;
            }

            _serverClock.Observe(response, sentAt, _serverClock.ClientNow());
            Report(observer, request, attempt, (int)response.StatusCode, _time.GetElapsedTime(started), RateLimitHeaders.Read(response, _redactor), null);
            return response;
        }

        private static void Report(Action<CodatHttpExchange> observer, HttpRequestMessage request, AttemptContext attempt,
            int? status, TimeSpan duration, CodatRateLimit? rateLimit, string? failure)
        {
            // The URL without user info: a server URL written as https://user:secret@host must not show its secret.
            var url = request.RequestUri!.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);
            var exchange = new CodatHttpExchange(attempt.OperationName, request.Method.Method, url, attempt.Attempt,
                status, duration, rateLimit?.Remaining, failure, rateLimit);
            try
            {
                observer(exchange);
            }
            catch (Exception)
            {
                // A tracing observer that fails must not fail the transfer it traces.
            }
        }
    }
}
