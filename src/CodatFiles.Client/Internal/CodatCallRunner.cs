using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using Polly;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Runs one API call: attempts under the retry pipeline, each bounded through a linked token by
    /// PerAttemptTimeout or by what is left of MaxElapsedTime, whichever is less, and turns the final outcome into the value or the client's exception. The caller's cancellation
    /// always surfaces as OperationCanceledException, never wrapped.
    /// </summary>
    internal sealed class CodatCallRunner
    {
        private readonly ErrorMapper _errors;

        public CodatCallRunner(ErrorMapper errors)
        {
            _errors = errors;
        }

        public async Task<(T Value, int Attempts)> RunAsync<T>(
            CodatOperation operation, CodatRetryOptions retry, CodatCallOptions? callOptions,
            Func<AttemptContext, Task<AttemptResult<T>>> attempt, CancellationToken cancellationToken)
        {
            retry.Validate();
            cancellationToken.ThrowIfCancellationRequested();

            var call = new CallState(operation, retry.Clone(), callOptions, cancellationToken);
            var pipeline = RetryPipelineFactory.Create<T>(call, _errors);
            var context = ResilienceContextPool.Shared.Get(operation.Name, continueOnCapturedContext: false, cancellationToken);
            Outcome<AttemptResult<T>> outcome;
            try
            {
                outcome = await pipeline.ExecuteOutcomeAsync(
                    async (_, state) =>
                    {
                        try
                        {
                            return Outcome.FromResult(await RunAttemptAsync(state.call, state.attempt).ConfigureAwait(false));
                        }
                        catch (Exception ex)
                        {
                            return Outcome.FromException<AttemptResult<T>>(ex);
                        }
                    },
                    context,
                    (call, attempt)).ConfigureAwait(false);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }

            cancellationToken.ThrowIfCancellationRequested();

            if (outcome.Exception is Exception exception)
            {
                if (LocalStreamException.Find(exception) is LocalStreamException local)
                {
                    // A local file or stream failed: the caller gets that error itself, not a network one.
                    ExceptionDispatchInfo.Capture(local.InnerException ?? local).Throw();
                }

                if (ErrorMapper.IsConnectionFailure(exception))
                {
                    throw _errors.ToConnectionException(operation, exception, call.Attempts, call.GiveUpReason);
                }

                ExceptionDispatchInfo.Capture(exception).Throw();
            }

            var result = outcome.Result!;
            if (result.Failure is HttpFailure failure)
            {
                throw _errors.ToApiException(operation, failure, call.Attempts, failure.IsTransient ? call.GiveUpReason : null);
            }

            return (result.Value, call.Attempts);
        }

        private static async Task<AttemptResult<T>> RunAttemptAsync<T>(CallState call, Func<AttemptContext, Task<AttemptResult<T>>> attempt)
        {
            call.Attempts++;
            // The budget bounds the whole call, so an attempt may not outlive it, whatever PerAttemptTimeout allows.
            var budgetLeft = call.Retry.MaxElapsedTime - call.Elapsed;
            var cutByBudget = budgetLeft < call.Retry.PerAttemptTimeout;
            using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(call.CallerToken);
            attemptCts.CancelAfter(TimerLimits.Clamp(cutByBudget ? budgetLeft : call.Retry.PerAttemptTimeout));
            try
            {
                return await attempt(new AttemptContext(call, call.Attempts, attemptCts.Token)).ConfigureAwait(false);
            }
            catch (Exception ex) when (attemptCts.IsCancellationRequested && !call.CallerToken.IsCancellationRequested
                                       && LocalStreamException.Find(ex) is null)
            {
                // Only the timer can have cancelled the attempt's token here: a timeout, whatever the exception
                // type the cancelled I/O happened to surface (TaskCanceledException, IOException, ...).
                throw cutByBudget
                    ? AttemptTimeoutException.Budget(call.Retry.MaxElapsedTime, ex)
                    : AttemptTimeoutException.PerAttempt(call.Retry.PerAttemptTimeout, ex);
            }
        }
    }
}
