using System;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// The one place a retry pipeline is built from <see cref="CodatRetryOptions"/>. Polly runs the loop
    /// (attempt, decide, wait with cancellation); the decision itself is <see cref="RetryDecision"/>, made in
    /// ShouldHandle because only there can a retry be refused (MaxElapsedTime, a Retry-After past it, unsafe partial download), and
    /// its delay is handed to Polly through the delay generator. Built per call because the call's state
    /// (attempt count, clock, callbacks) is captured.
    /// </summary>
    internal static class RetryPipelineFactory
    {
        public static ResiliencePipeline<AttemptResult<T>> Create<T>(CallState call, ErrorMapper errors)
        {
            var options = call.Retry;
            var builder = new ResiliencePipelineBuilder<AttemptResult<T>>();
            if (options.MaxRetryAttempts == 0)
            {
                // Polly requires at least one retry; with none the pipeline is empty and the decision is never asked.
                call.GiveUpReason = "retries are disabled (MaxRetryAttempts 0)";
                return builder.Build();
            }

            builder.AddRetry(new RetryStrategyOptions<AttemptResult<T>>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Constant,
                Delay = TimeSpan.Zero,
                UseJitter = false,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(call, errors, args.Outcome, args.AttemptNumber)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(call.NextRetry?.Delay ?? TimeSpan.Zero),
                OnRetry = args =>
                {
                    var decision = call.NextRetry;
                    call.CallOptions?.OnRetry?.Invoke(new CodatRetryEvent(
                        call.Operation.Name, call.Attempts, args.RetryDelay,
                        call.LastFailureReason ?? "the attempt failed", call.LastFailureStatus,
                        decision?.DelayFromRetryAfter ?? false));
                    return default;
                },
            });
            return builder.Build();
        }

        private static bool ShouldRetry<T>(CallState call, ErrorMapper errors, Outcome<AttemptResult<T>> outcome, int retriesDone)
        {
            call.NextRetry = null;
            if (call.CallerToken.IsCancellationRequested) return false;

            bool transient;
            TimeSpan? retryAfter = null;
            if (outcome.Exception is Exception exception)
            {
                transient = LocalStreamException.Find(exception) is null && ErrorMapper.IsConnectionFailure(exception);
                call.LastFailureReason = transient ? errors.Describe(exception) : exception.Message;
                call.LastFailureStatus = null;
            }
            else if (outcome.Result?.Failure is HttpFailure failure)
            {
                transient = failure.IsTransient;
                retryAfter = failure.RetryAfter;
                call.LastFailureReason = failure.Summary();
                call.LastFailureStatus = failure.StatusCode;
            }
            else
            {
                return false; // success
            }

            // An attempt stopped by the budget is final even if a timer fired a hair early.
            var blocked = call.RetryBlockedReason ??
                          (outcome.Exception is AttemptTimeoutException { BudgetRanOut: true } ? RetryDecision.BudgetUsedUp(call.Retry) : null);
            var decision = RetryDecision.Decide(call.Retry, retriesDone, call.Elapsed, transient, retryAfter, blocked);
            call.GiveUpReason = decision.GiveUpReason;
            call.NextRetry = decision.Retry ? decision : null;
            return decision.Retry;
        }
    }
}
