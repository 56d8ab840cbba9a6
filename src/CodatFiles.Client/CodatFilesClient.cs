using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CodatFiles.Client.Internal;

namespace CodatFiles.Client
{
    /// <summary>
    /// Client of Codat's Files API: list, upload and download. Thread-safe; holds one HttpClient for its options,
    /// so create one per server/key and reuse it. Every method is asynchronous and honours its CancellationToken.
    /// </summary>
    /// <remarks>
    /// ServerUrl, ApiKey and UserAgent are read once, when the client is created; <see cref="CodatClientOptions.Retry"/>
    /// is read at each call (and <see cref="CodatCallOptions.Retry"/> replaces it for one call).
    /// </remarks>
    public sealed partial class CodatFilesClient : IDisposable
    {
        private const string ZipOrError = "application/octet-stream, application/json;q=0.9, */*;q=0.1";
        private readonly HttpClient _http;
        private readonly CodatRequestUris _uris;
        private readonly SecretRedactor _redactor;
        private readonly ResponseErrorReader _errorReader;
        private readonly ErrorMapper _errors;
        private readonly CodatCallRunner _runner;
        private readonly ObservedHttpSender _sender;
        private readonly HtmlAnswerGuard _html;
        private readonly TimeProvider _time;
        private readonly ServerClock _serverClock;
        private int _disposed;

        /// <summary>
        /// Creates a client that owns its HTTP stack: an HttpClientHandler with <see cref="CodatClientOptions.Proxy"/>,
        /// TLS 1.2 or newer, and enough connections per server for concurrent transfers (also on .NET Framework).
        /// </summary>
        public CodatFilesClient(CodatClientOptions options)
            // Redirects are not followed (HttpHandlerFactory): a 3xx is an error naming where it pointed.
            : this(options, HttpHandlerFactory.Create((options ?? throw new ArgumentNullException(nameof(options))).Proxy), disposeHandler: true)
        {
        }

        /// <summary>
        /// Creates a client that sends through <paramref name="handler"/> (for a custom proxy, certificates, or a
        /// handler chain). The handler is not disposed with the client: the caller owns it. Do not set an
        /// overall timeout on it: the client enforces <see cref="CodatRetryOptions.PerAttemptTimeout"/> itself.
        /// Turn its automatic redirects off (HttpClientHandler.AllowAutoRedirect = false): the client reports a
        /// 3xx it receives as an error, but cannot undo a redirect the handler followed.
        /// </summary>
        public CodatFilesClient(CodatClientOptions options, HttpMessageHandler handler)
            : this(options, handler, disposeHandler: false)
        {
        }

        private CodatFilesClient(CodatClientOptions options, HttpMessageHandler handler, bool disposeHandler)
        {
            if (options is null) throw new ArgumentNullException(nameof(options));
            if (handler is null) throw new ArgumentNullException(nameof(handler));
            if (string.IsNullOrEmpty(options.ApiKey))
            {
                if (disposeHandler) handler.Dispose();
                throw new ArgumentException("An API key is required (CodatClientOptions.ApiKey).", nameof(options));
            }

            if (CodatClientOptions.ServerUrlProblem(options.ServerUrl) is string problem)
            {
                if (disposeHandler) handler.Dispose();
                throw new ArgumentException($"ServerUrl '{SecretRedactor.WithoutUserInfo(options.ServerUrl?.OriginalString ?? string.Empty)}' cannot be used: {problem}.", nameof(options));
            }

            _uris = new CodatRequestUris(options.ServerUrl);

            (options.Retry ?? throw new ArgumentException("CodatClientOptions.Retry must not be null.", nameof(options))).Validate();
            Options = options;
            _time = options.TimeProvider ?? throw new ArgumentException("CodatClientOptions.TimeProvider must not be null.", nameof(options));
            // Codat's clock, estimated from its answers' Date against ours (the same TimeProvider).
            _serverClock = new ServerClock(_time);

            _redactor = new SecretRedactor(options.ApiKey);
            _errorReader = new ResponseErrorReader(_redactor, _time);
            _errors = new ErrorMapper(_redactor, _uris.DisplayBase);
            _runner = new CodatCallRunner(_errors, _time);
            _html = new HtmlAnswerGuard(_errors, _redactor);

            // The client bounds each attempt itself (PerAttemptTimeout); HttpClient's own 100 s default would cut
            // a slow 10 MB upload off and could not be told apart from the caller cancelling.
            _http = new HttpClient(handler, disposeHandler) { Timeout = Timeout.InfiniteTimeSpan };
            // Default headers, not per-request ones: HttpRequestMessage.ToString() prints its own headers, so the
            // key is kept out of anything that might print a request.
            _http.DefaultRequestHeaders.Authorization = BasicAuthHeader.Create(options.ApiKey);
            UserAgent.Apply(_http.DefaultRequestHeaders, options.UserAgent);
            // .NET Framework's HttpClient (Windows PowerShell 5.1) sends Expect: 100-continue with every POST body by
            // default: each upload would wait a round trip for "100 Continue", or 350 ms when none comes. .NET never
            // sends it; false says so for both.
            _http.DefaultRequestHeaders.ExpectContinue = false;
            _sender = new ObservedHttpSender(_http, _redactor, _time, _serverClock);
        }

        /// <summary>The headers sent with every request (tests read them; the key is among them).</summary>
        internal HttpRequestHeaders DefaultRequestHeaders => _http.DefaultRequestHeaders;

        /// <summary>The options the client was created with (the key is never shown by ToString).</summary>
        public CodatClientOptions Options { get; }

        /// <summary>
        /// A time of this machine's clock (for example a local file's last write time) on Codat's clock, so it can be
        /// compared with the upload times Codat lists: estimated from the Date headers of Codat's own answers to this
        /// client, good to about a second. Null before any answer of Codat's carried a Date.
        /// </summary>
        public DateTimeOffset? ToServerClock(DateTimeOffset clientTime) => _serverClock.ServerTimeAt(clientTime);

        /// <summary>GET /companies/{companyId}/files (operation list-files).</summary>
        public async Task<IReadOnlyList<CodatFile>> ListFilesAsync(Guid companyId, CodatCallOptions? callOptions = null, CancellationToken cancellationToken = default)
        {
            ThrowIfDisposed();
            var operation = new CodatOperation(CodatOperation.ListFiles, companyId);
            var uri = _uris.ListFiles(companyId);

            var (files, _) = await _runner.RunAsync(operation, EffectiveRetry(callOptions), callOptions,
                attempt => ListAttemptAsync(operation, uri, attempt), cancellationToken).ConfigureAwait(false);
            return files;
        }

        /// <summary>One GET of list-files: the files, or the failure as read from the response.</summary>
        private async Task<AttemptResult<IReadOnlyList<CodatFile>>> ListAttemptAsync(CodatOperation operation, Uri uri, AttemptContext attempt)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await _sender.SendAsync(request, attempt).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return AttemptResult<IReadOnlyList<CodatFile>>.Failed(
                    await _errorReader.ReadAsync(response, attempt.CancellationToken).ConfigureAwait(false));
            }

            _html.ThrowIfHtmlType(operation, response, attempt.Attempt);
            using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            List<CodatFile>? parsed;
            try
            {
                parsed = await JsonSerializer.DeserializeAsync(body, CodatJsonContext.Default.ListCodatFile, attempt.CancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                throw _errors.ToUnexpectedBodyException(operation, (int)response.StatusCode, attempt.Attempt, ex, RateLimitHeaders.Read(response, _redactor));
            }

            return AttemptResult<IReadOnlyList<CodatFile>>.Success(
                (parsed ?? new List<CodatFile>()).Where(f => f != null).ToList().AsReadOnly());
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) _http.Dispose();
        }

        /// <summary>Shows the server only; the key is never part of it.</summary>
        public override string ToString() => $"CodatFilesClient({_uris.DisplayBase})";

        private CodatRetryOptions EffectiveRetry(CodatCallOptions? callOptions) =>
            callOptions?.Retry ?? Options.Retry ?? new CodatRetryOptions();

        private void ThrowIfDisposed()
        {
            if (Volatile.Read(ref _disposed) != 0) throw new ObjectDisposedException(nameof(CodatFilesClient));
        }
    }
}
