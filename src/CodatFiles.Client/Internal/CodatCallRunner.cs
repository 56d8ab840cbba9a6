using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// The retry path of every API call, in the order a failed attempt travels it:
    /// <list type="number">
    /// <item><see cref="RunAsync{T}"/> puts the call's policy and state into the ResilienceContext and hands the
    /// attempt to the one pipeline of the client;</item>
    /// <item><see cref="RunAttemptAsync{T}"/> counts the attempt, bounds it by PerAttemptTimeout and by the call's
    /// budget, and records when it ended;</item>
    /// <item>Polly asks <see cref="ShouldRetry"/> (ShouldHandle), then <see cref="RetryDelay"/> (DelayGenerator),
    /// then <see cref="ReportRetry"/> (OnRetry), waits, and runs the next attempt;</item>
    /// <item>when Polly stops, <see cref="ToResultOrThrow{T}"/> turns the last outcome into the value or the
    /// client's exception.</item>
    /// </list>
    /// Whether to retry and how long to wait is <see cref="RetryDecision"/>, a pure function; the three Polly hooks
    /// only ask it, each through <see cref="Decide"/> on the same recorded facts, so they cannot disagree and none
    /// of them changes any state.
    /// </summary>
    /// <remarks>
    /// One pipeline per client, built once. Its shape is fixed; the values of the call's policy (the client's
    /// <see cref="CodatClientOptions.Retry"/>, read at each call, or a <see cref="CodatCallOptions.Retry"/>
    /// override) travel in <see cref="CallProperties"/>, because Polly's own numeric options are fixed when the
    /// pipeline is built. Each limit has one owner: MaxRetryAttempts and the waits are <see cref="RetryDecision"/>'s
    /// (Polly's own attempt limit is left unbounded), as is MaxUnreachableTime, MaxElapsedTime is <see cref="CallBudget"/>'s, and
    /// PerAttemptTimeout is the attempt timer's in <see cref="RunAttemptAsync{T}"/>. The caller's cancellation
    /// always surfaces as OperationCanceledException, never wrapped.
    /// </remarks>
    internal sealed class CodatCallRunner
    {
        private readonly ErrorMapper _errors;
        private readonly ResiliencePipeline<AttemptResult> _pipeline;

        public CodatCallRunner(ErrorMapper errors)
        {
            _errors = errors;
            _pipeline = new ResiliencePipelineBuilder<AttemptResult>()
                .AddRetry(new RetryStrategyOptions<AttemptResult>
                {
                    // Unbounded here: RetryDecision alone counts retries against the call's MaxRetryAttempts.
                    MaxRetryAttempts = int.MaxValue,
                    BackoffType = DelayBackoffType.Constant,
                    Delay = TimeSpan.Zero,
                    UseJitter = false,
                    ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Context, args.Outcome, args.AttemptNumber)),
                    DelayGenerator = args => new ValueTask<TimeSpan?>(RetryDelay(args.Context, args.Outcome, args.AttemptNumber)),
                    OnRetry = args => ReportRetry(args.Context, args.Outcome, args.AttemptNumber, args.RetryDelay),
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
            using var budget = new CallBudget(policy.MaxElapsedTime);
            var context = ResilienceContextPool.Shared.Get(operation.Name, continueOnCapturedContext: false, cancellationToken);
            try
            {
                context.Properties.Set(CallProperties.Operation, operation);
                context.Properties.Set(CallProperties.Policy, policy);
                context.Properties.Set(CallProperties.CallOptions, callOptions);
                context.Properties.Set(CallProperties.Budget, budget);

                var outcome = await _pipeline.ExecuteOutcomeAsync(
                    static async (ctx, run) =>
                    {
                        try
                        {
                            return Outcome.FromResult<AttemptResult>(await RunAttemptAsync(ctx, run).ConfigureAwait(false));
                        }
                        catch (Exception ex)
                        {
                            return Outcome.FromException<AttemptResult>(ex);
                        }
                    },
                    context,
                    attempt).ConfigureAwait(false);

                cancellationToken.ThrowIfCancellationRequested();
                return ToResultOrThrow<T>(context, outcome);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        /// <summary>One attempt: counted, bounded by PerAttemptTimeout and the budget, its end recorded for the decision.</summary>
        private static async Task<AttemptResult<T>> RunAttemptAsync<T>(ResilienceContext context, Func<AttemptContext, Task<AttemptResult<T>>> attempt)
        {
            var properties = context.Properties;
            var policy = properties.GetValue(CallProperties.Policy, null!);
            var budget = properties.GetValue(CallProperties.Budget, null!);
            var number = properties.GetValue(CallProperties.Attempts, 0) + 1;
            properties.Set(CallProperties.Attempts, number);

            // The budget's token ends the attempt when MaxElapsedTime runs out, whatever PerAttemptTimeout allows.
            using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, budget.Token);
            attemptCts.CancelAfter(TimerLimits.Clamp(policy.PerAttemptTimeout));
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
            finally
            {
                // Read once here, so every hook deciding about this attempt sees the same clock and jitter.
                properties.Set(CallProperties.LastAttemptEnd, new AttemptEnd(budget.Elapsed, BackoffDelay.NextJitterSample()));
            }
        }

        /// <summary>ShouldHandle: only here can Polly be told not to retry, so the decision's yes or no is read here.</summary>
        private static bool ShouldRetry(ResilienceContext context, Outcome<AttemptResult> outcome, int retriesDone) =>
            Decide(context, outcome, retriesDone).Retry;

        /// <summary>DelayGenerator: the wait of the same decision (Polly's own delay settings are zero).</summary>
        private static TimeSpan? RetryDelay(ResilienceContext context, Outcome<AttemptResult> outcome, int retriesDone) =>
            Decide(context, outcome, retriesDone).Delay;

        /// <summary>OnRetry: tells the caller's observer which attempt failed, why, and how long the wait is.</summary>
        private ValueTask ReportRetry(ResilienceContext context, Outcome<AttemptResult> outcome, int retriesDone, TimeSpan delay)
        {
            var observer = context.Properties.GetValue(CallProperties.CallOptions, null)?.OnRetry;
            if (observer != null)
            {
                var (reason, status) = FailureOf(outcome);
                observer(new CodatRetryEvent(
                    context.Properties.GetValue(CallProperties.Operation, null!).Name, retriesDone + 1, delay,
                    reason, status, Decide(context, outcome, retriesDone).DelayFromRetryAfter));
            }

            return default;
        }

        /// <summary>
        /// The facts about the attempt that just ended, given to <see cref="RetryDecision"/>: whether its failure is
        /// worth retrying, the server's Retry-After, the call's clock when it ended, and anything that makes a
        /// further attempt unsafe or pointless.
        /// </summary>
        private static RetryDecision Decide(ResilienceContext context, Outcome<AttemptResult> outcome, int retriesDone)
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
            var end = properties.GetValue(CallProperties.LastAttemptEnd, default);
            // An attempt stopped by the budget is final even if a timer fired a hair early.
            var blocked = properties.GetValue(CallProperties.RetryBlockedReason, null) ??
                          (outcome.Exception is AttemptTimeoutException { BudgetRanOut: true } ? RetryDecision.BudgetUsedUp(policy) : null);
            return RetryDecision.Decide(policy, retriesDone, end.Elapsed, transient, retryAfter, blocked, () => end.JitterSample, unreachable);
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
            var lastDecision = Decide(context, outcome, attempts - 1);
            var giveUpReason = lastDecision.GiveUpReason;

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
                    throw _errors.ToConnectionException(operation, exception, attempts, giveUpReason);
                }

                ExceptionDispatchInfo.Capture(exception).Throw();
            }

            var result = (AttemptResult<T>)outcome.Result!;
            if (result.Failure is HttpFailure failure)
            {
                var error = _errors.ToApiException(operation, failure, attempts, giveUpReason);
                error.RetryAfterBeyondBudget = lastDecision.WaitBeyondBudget;
                throw error;
            }

            return (result.Value, attempts);
        }
    }

    /// <summary>The clock reading and jitter sample taken when an attempt ended: the decision's inputs about time.</summary>
    internal readonly struct AttemptEnd
    {
        public AttemptEnd(TimeSpan elapsed, double jitterSample)
        {
            Elapsed = elapsed;
            JitterSample = jitterSample;
        }

        public TimeSpan Elapsed { get; }

        public double JitterSample { get; }
    }

    /// <summary>
    /// Everything one call carries across its attempts, in its ResilienceContext.Properties: the policy, the
    /// observers, the budget (clock and MaxElapsedTime timer), the attempt count, the last attempt's end, and why
    /// a further attempt would be unsafe. Retry-After is not kept here: it is part of each attempt's outcome.
    /// </summary>
    internal static class CallProperties
    {
        public static readonly ResiliencePropertyKey<CodatOperation> Operation = new ResiliencePropertyKey<CodatOperation>("codat.operation");
        public static readonly ResiliencePropertyKey<CodatRetryOptions> Policy = new ResiliencePropertyKey<CodatRetryOptions>("codat.policy");
        public static readonly ResiliencePropertyKey<CodatCallOptions?> CallOptions = new ResiliencePropertyKey<CodatCallOptions?>("codat.call-options");
        public static readonly ResiliencePropertyKey<CallBudget> Budget = new ResiliencePropertyKey<CallBudget>("codat.budget");

        /// <summary>Attempts started so far (1 during the first).</summary>
        public static readonly ResiliencePropertyKey<int> Attempts = new ResiliencePropertyKey<int>("codat.attempts");

        public static readonly ResiliencePropertyKey<AttemptEnd> LastAttemptEnd = new ResiliencePropertyKey<AttemptEnd>("codat.last-attempt-end");

        /// <summary>Set by an attempt when a further attempt would be unsafe (bytes written that cannot be undone).</summary>
        public static readonly ResiliencePropertyKey<string?> RetryBlockedReason = new ResiliencePropertyKey<string?>("codat.retry-blocked");
    }
}
