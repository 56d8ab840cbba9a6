using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// The retry path of every API call. One attempt travels these steps, in this order:
    /// <list type="number">
    /// <item><see cref="RunAttemptAsync{T}"/> counts the attempt and bounds it by PerAttemptTimeout and by the
    /// call's budget (both timers on the client's <see cref="TimeProvider"/>);</item>
    /// <item>the operation's attempt sends its request and reads the answer (CodatFilesClient: send through
    /// <see cref="ObservedHttpSender"/>, read a failure with <see cref="ResponseErrorReader"/>, or check a success
    /// with <see cref="HtmlAnswerGuard"/> and read it);</item>
    /// <item><see cref="EndAttempt"/> decides, once, from the outcome and the call's clock, whether to retry and
    /// how long to wait (<see cref="RetryDecision"/>), and stores that decision in the call's properties;</item>
    /// <item>Polly's retry strategy reads it (ShouldHandle, DelayGenerator), tells the caller's observer
    /// (<see cref="ReportRetry"/>), waits on the same <see cref="TimeProvider"/>, and runs the next attempt;</item>
    /// <item>when no retry follows, <see cref="ToResultOrThrow{T}"/> turns the last outcome and its decision into
    /// the value or the client's exception.</item>
    /// </list>
    /// </summary>
    /// <remarks>
    /// Polly is used as designed: its hooks are pure reads of the decision, so they cannot disagree. One pipeline
    /// per client, built once: the values of the call's policy (the client's <see cref="CodatClientOptions.Retry"/>,
    /// read at each call, or a <see cref="CodatCallOptions.Retry"/> override) travel in <see cref="CallProperties"/>,
    /// because Polly's own numeric options are fixed when the pipeline is built. Each limit has one owner:
    /// MaxRetryAttempts, MaxUnreachableTime and the waits are <see cref="RetryDecision"/>'s (Polly's own attempt
    /// limit is left unbounded), MaxElapsedTime is <see cref="CallBudget"/>'s, and PerAttemptTimeout is the attempt
    /// timer's. The caller's cancellation always surfaces as OperationCanceledException, never wrapped.
    /// </remarks>
    internal sealed class CodatCallRunner
    {
        private readonly ErrorMapper _errors;
        private readonly TimeProvider _time;
        private readonly ResiliencePipeline<AttemptResult> _pipeline;

        public CodatCallRunner(ErrorMapper errors, TimeProvider time)
        {
            _errors = errors;
            _time = time;
            _pipeline = new ResiliencePipelineBuilder<AttemptResult> { TimeProvider = time }
                .AddRetry(new RetryStrategyOptions<AttemptResult>
                {
                    // Unbounded here: RetryDecision alone counts retries against the call's MaxRetryAttempts.
                    MaxRetryAttempts = int.MaxValue,
                    BackoffType = DelayBackoffType.Constant,
                    Delay = TimeSpan.Zero,
                    UseJitter = false,
                    ShouldHandle = args => new ValueTask<bool>(CallProperties.DecisionOf(args.Context).Retry),
                    DelayGenerator = args => new ValueTask<TimeSpan?>(CallProperties.DecisionOf(args.Context).Delay),
                    OnRetry = args => ReportRetry(args.Context, args.Outcome, args.RetryDelay),
                })
                .Build();
        }

        public async Task<(T Value, int Attempts)> RunAsync<T>(
            CodatOperation operation, CodatRetryOptions retry, CodatCallOptions? callOptions,
            Func<AttemptContext, Task<AttemptResult<T>>> attempt, CancellationToken cancellationToken)
        {
            retry.Validate();
            cancellationToken.ThrowIfCancellationRequested();

            var policy = retry.Clone(); // the caller's options may change while the call runs
            using var budget = new CallBudget(_time, policy.MaxElapsedTime);
            var context = ResilienceContextPool.Shared.Get(operation.Name, continueOnCapturedContext: false, cancellationToken);
            try
            {
                context.Properties.Set(CallProperties.Operation, operation);
                context.Properties.Set(CallProperties.Policy, policy);
                context.Properties.Set(CallProperties.CallOptions, callOptions);
                context.Properties.Set(CallProperties.Budget, budget);

                var outcome = await _pipeline.ExecuteOutcomeAsync(
                    static async (ctx, state) =>
                    {
                        var (runner, run) = state;
                        Outcome<AttemptResult> ended;
                        try
                        {
                            ended = Outcome.FromResult<AttemptResult>(await runner.RunAttemptAsync(ctx, run).ConfigureAwait(false));
                        }
                        catch (Exception ex)
                        {
                            ended = Outcome.FromException<AttemptResult>(ex);
                        }

                        EndAttempt(ctx, ended);
                        return ended;
                    },
                    context,
                    (this, attempt)).ConfigureAwait(false);

                cancellationToken.ThrowIfCancellationRequested();
                return ToResultOrThrow<T>(context, outcome);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        /// <summary>One attempt: counted, and bounded by PerAttemptTimeout and the budget.</summary>
        private async Task<AttemptResult<T>> RunAttemptAsync<T>(ResilienceContext context, Func<AttemptContext, Task<AttemptResult<T>>> attempt)
        {
            var properties = context.Properties;
            var policy = properties.GetValue(CallProperties.Policy, null!);
            var budget = properties.GetValue(CallProperties.Budget, null!);
            var number = properties.GetValue(CallProperties.Attempts, 0) + 1;
            properties.Set(CallProperties.Attempts, number);

            // The budget's token ends the attempt when MaxElapsedTime runs out, whatever PerAttemptTimeout allows.
            using var attemptTimer = _time.CreateCancellationTokenSource(TimerLimits.Clamp(policy.PerAttemptTimeout));
            using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, budget.Token, attemptTimer.Token);
            try
            {
                return await attempt(new AttemptContext(context, number, attemptCts.Token)).ConfigureAwait(false);
            }
            catch (Exception ex) when (attemptCts.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested
                                       && LocalStreamException.Find(ex) is null)
            {
                // Only a timer can have cancelled the attempt's token here: a timeout, whatever the exception
                // type the cancelled I/O happened to surface (TaskCanceledException, IOException, ...).
                throw budget.RanOut
                    ? AttemptTimeoutException.Budget(policy.MaxElapsedTime, ex)
                    : AttemptTimeoutException.PerAttempt(policy.PerAttemptTimeout, ex);
            }
        }

        /// <summary>
        /// The one place a retry is decided: right after the attempt ended, from its outcome (whether the failure
        /// is worth retrying, the server's Retry-After), the call's clock, and anything that makes a further
        /// attempt unsafe or pointless. Everything after only reads the stored decision.
        /// </summary>
        private static void EndAttempt(ResilienceContext context, Outcome<AttemptResult> outcome)
        {
            context.Properties.Set(CallProperties.Decision, Decide(context, outcome));
        }

        private static RetryDecision Decide(ResilienceContext context, Outcome<AttemptResult> outcome)
        {
            if (context.CancellationToken.IsCancellationRequested) return RetryDecision.Stop;

            bool transient;
            var unreachable = false;
            TimeSpan? retryAfter = null;
            if (outcome.Exception is Exception exception)
            {
                transient = LocalStreamException.Find(exception) is null && ErrorMapper.IsConnectionFailure(exception) && !TransportFailure.IsPermanent(exception);
                unreachable = transient && ErrorMapper.IsUnreachable(exception);
            }
            else if (outcome.Result?.Failure is HttpFailure failure)
            {
                transient = failure.IsTransient;
                retryAfter = failure.RetryAfter;
            }
            else
            {
                return RetryDecision.Stop; // success
            }

            var properties = context.Properties;
            var policy = properties.GetValue(CallProperties.Policy, null!);
            var budget = properties.GetValue(CallProperties.Budget, null!);
            var retriesDone = properties.GetValue(CallProperties.Attempts, 1) - 1;
            // An attempt stopped by the budget is final even if a timer fired a hair early.
            var budgetRanOut = outcome.Exception is AttemptTimeoutException { BudgetRanOut: true };
            var blocked = properties.GetValue(CallProperties.RetryBlockedReason, null);
            return RetryDecision.Decide(policy, retriesDone, budget.Elapsed, transient, retryAfter, blocked, random: null, unreachable, budgetRanOut);
        }

        /// <summary>OnRetry: tells the caller's observer which attempt failed, why, and how long the wait is.</summary>
        private ValueTask ReportRetry(ResilienceContext context, Outcome<AttemptResult> outcome, TimeSpan delay)
        {
            var properties = context.Properties;
            var observer = properties.GetValue(CallProperties.CallOptions, null)?.OnRetry;
            if (observer != null)
            {
                var (reason, status) = FailureOf(outcome);
                observer(new CodatRetryEvent(
                    properties.GetValue(CallProperties.Operation, null!).Name, properties.GetValue(CallProperties.Attempts, 1), delay,
                    reason, status, CallProperties.DecisionOf(context).DelayFromRetryAfter));
            }

            return default;
        }

        /// <summary>The reason text and status of a failed attempt, for the retry event.</summary>
        private (string Reason, int? Status) FailureOf(Outcome<AttemptResult> outcome)
        {
            if (outcome.Result?.Failure is HttpFailure failure) return (failure.Summary(), failure.StatusCode);
            var exception = outcome.Exception;
            if (exception is null) return ("the attempt failed", null);
            return (ErrorMapper.IsConnectionFailure(exception) ? _errors.Describe(exception) : exception.Message, null);
        }

        /// <summary>After the last attempt: the value, or the failure as the client's exception with why it gave up.</summary>
        private (T Value, int Attempts) ToResultOrThrow<T>(ResilienceContext context, Outcome<AttemptResult> outcome)
        {
            var operation = context.Properties.GetValue(CallProperties.Operation, null!);
            var attempts = context.Properties.GetValue(CallProperties.Attempts, 0);
            var lastDecision = CallProperties.DecisionOf(context);

            if (outcome.Exception is Exception exception)
            {
                if (LocalStreamException.Find(exception) is LocalStreamException local)
                {
                    // One upload file's source failed: the upload call turns this into CodatUploadSourceException,
                    // naming the file, so its caller can send the rest.
                    local.Attempts = attempts;
                    if (local.FailedFile != null) ExceptionDispatchInfo.Capture(local).Throw();

                    // Another local file or stream failed: the caller gets that error itself, not a network one.
                    ExceptionDispatchInfo.Capture(local.InnerException ?? local).Throw();
                }

                if (ErrorMapper.IsConnectionFailure(exception))
                {
                    var connection = _errors.ToConnectionException(operation, exception, attempts, lastDecision.GiveUpReason);
                    connection.GiveUp = lastDecision.GiveUp;
                    throw connection;
                }

                ExceptionDispatchInfo.Capture(exception).Throw();
            }

            var result = (AttemptResult<T>)outcome.Result!;
            if (result.Failure is HttpFailure failure)
            {
                var error = _errors.ToApiException(operation, failure, attempts, lastDecision.GiveUpReason);
                error.RetryAfterBeyondBudget = lastDecision.WaitBeyondBudget;
                error.GiveUp = lastDecision.GiveUp;
                throw error;
            }

            return (result.Value, attempts);
        }
    }
}
