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
            _sender = new ObservedHttpSender(_http, _redactor, _time);
        }

        /// <summary>The headers sent with every request (tests read them; the key is among them).</summary>
        internal HttpRequestHeaders DefaultRequestHeaders => _http.DefaultRequestHeaders;

        /// <summary>The options the client was created with (the key is never shown by ToString).</summary>
        public CodatClientOptions Options { get; }

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

        /// <summary>
        /// Before re-sending after an attempt whose outcome is unknown: one list call (no retries of its own) to
        /// drop the files it stored. A failed list re-sends everything, and says so.
        /// </summary>
        private async Task ResolveUnknownOutcomeAsync(Guid companyId, AmbiguousUploads uploads, CodatCallOptions? callOptions,
            AttemptContext attempt, CancellationToken callerToken)
        {
            var list = new CodatOperation(CodatOperation.ListFiles, companyId);
            CodatAmbiguousAttempt report;
            try
            {
                var listed = await ListAttemptAsync(list, _uris.ListFiles(companyId), attempt).ConfigureAwait(false);
                report = listed.Failure is HttpFailure failure ? uploads.ListFailed(failure.Summary()) : uploads.Resolve(listed.Value);
            }
            catch (Exception ex) when (!callerToken.IsCancellationRequested && !(ex is LocalStreamException))
            {
                report = uploads.ListFailed(ErrorMapper.IsConnectionFailure(ex) || ex is OperationCanceledException ? _errors.Describe(ex) : ex.Message);
            }

            callOptions?.OnAmbiguousAttempt?.Invoke(report);
        }

        /// <summary>
        /// POST /companies/{companyId}/connections/{connectionId}/files (operation upload-files): 1 to 20 files
        /// in one multipart request, each streamed from its source.
        /// </summary>
        /// <remarks>
        /// Each file is sent as a part named <c>file</c> (the spec's field name). The client does not check
        /// Codat's size and type limits (see <see cref="CodatUploadLimits"/>); the server answers 400 for those.
        /// A source that cannot be opened or read, or that changes while it is sent, stops the call at once with
        /// <see cref="CodatUploadSourceException"/> naming that file (not retried: the fault is local, and the
        /// request was cut off before its end, so none of it was stored).
        /// </remarks>
        public async Task<CodatUploadResult> UploadFilesAsync(Guid companyId, Guid connectionId, IReadOnlyList<UploadFile> files, CodatCallOptions? callOptions = null, CancellationToken cancellationToken = default)
        {
            ThrowIfDisposed();
            if (files is null) throw new ArgumentNullException(nameof(files));
            if (files.Count < 1 || files.Count > CodatUploadLimits.MaxFilesPerRequest)
            {
                throw new ArgumentException(
                    $"An upload request carries 1 to {CodatUploadLimits.MaxFilesPerRequest} files; got {files.Count}.", nameof(files));
            }

            if (files.Any(f => f is null)) throw new ArgumentException("The list of files contains null.", nameof(files));
            var snapshot = files.ToList(); // the caller's list may change while retries re-read it

            var operation = new CodatOperation(CodatOperation.UploadFiles, companyId, connectionId);
            var uri = _uris.UploadFiles(companyId, connectionId);

            var uploads = new AmbiguousUploads(snapshot);

            (UploadAttemptValue result, int attempts) outcome;
            try
            {
                outcome = await UploadAttemptsAsync(operation, uri, companyId, uploads, callOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (LocalStreamException local) when (local.FailedFile != null)
            {
                throw new CodatUploadSourceException(local.FailedFile, local.SourceChanged, local.Attempts,
                    uploads.FoundStored.ToList().AsReadOnly(), local.InnerException ?? local);
            }

            var (result, attempts) = outcome;
            return new CodatUploadResult(snapshot.Select(f => f.FileName).ToList().AsReadOnly(), result.Bytes, attempts, result.At, result.RateLimit,
                uploads.FoundStored.ToList().AsReadOnly());
        }

        /// <summary>The attempts of one upload call, each re-sending what is still pending.</summary>
        private Task<(UploadAttemptValue Value, int Attempts)> UploadAttemptsAsync(CodatOperation operation, Uri uri, Guid companyId,
            AmbiguousUploads uploads, CodatCallOptions? callOptions, CancellationToken cancellationToken) =>
            _runner.RunAsync<UploadAttemptValue>(operation, EffectiveRetry(callOptions), callOptions, async attempt =>
            {
                if (uploads.MustCheckBeforeResending)
                {
                    await ResolveUnknownOutcomeAsync(companyId, uploads, callOptions, attempt, cancellationToken).ConfigureAwait(false);
                    if (uploads.Pending.Count == 0) return AttemptResult<UploadAttemptValue>.Success(new UploadAttemptValue(0, _time.GetUtcNow(), null));
                }

                // A fresh content per attempt: it re-opens every source, so a retry resends each file from its start.
                var began = _time.GetUtcNow();
                using var content = new MultipartUploadContent(uploads.Pending, attempt.ReportProgress, attempt.CancellationToken);
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
                request.Headers.Accept.ParseAdd("application/json");
                HttpResponseMessage response;
                try
                {
                    response = await _sender.SendAsync(request, attempt).ConfigureAwait(false);
                }
                catch (Exception) when (content.BodySent)
                {
                    // Sent in full, then no answer (reset or timeout): Codat may have stored the files.
                    uploads.OutcomeUnknown(attempt.Attempt, began);
                    throw;
                }

                using var _ = response;
                if (!response.IsSuccessStatusCode)
                {
                    return AttemptResult<UploadAttemptValue>.Failed(
                        await _errorReader.ReadAsync(response, attempt.CancellationToken).ConfigureAwait(false));
                }

                await _html.ThrowIfHtmlAsync(operation, response, attempt.Attempt, attempt.CancellationToken).ConfigureAwait(false);
                return AttemptResult<UploadAttemptValue>.Success(
                    new UploadAttemptValue(content.FileBytesSent, _time.GetUtcNow(), RateLimitHeaders.Read(response, _redactor)));
            }, cancellationToken);

        /// <inheritdoc />
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) _http.Dispose();
        }

        /// <summary>Shows the server only; the key is never part of it.</summary>
        public override string ToString() => $"CodatFilesClient({_uris.DisplayBase})";

        private sealed class UploadAttemptValue
        {
            public UploadAttemptValue(long bytes, DateTimeOffset at, CodatRateLimit? rateLimit)
            {
                Bytes = bytes;
                At = at;
                RateLimit = rateLimit;
            }

            public long Bytes { get; }

            public DateTimeOffset At { get; }

            public CodatRateLimit? RateLimit { get; }
        }

        private CodatRetryOptions EffectiveRetry(CodatCallOptions? callOptions) =>
            callOptions?.Retry ?? Options.Retry ?? new CodatRetryOptions();

        private void ThrowIfDisposed()
        {
            if (Volatile.Read(ref _disposed) != 0) throw new ObjectDisposedException(nameof(CodatFilesClient));
        }
    }
}
