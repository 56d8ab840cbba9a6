using Polly;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Everything one call carries across its attempts, in its ResilienceContext.Properties: the policy, the
    /// observers, the budget (clock and MaxElapsedTime timer), the attempt count, the decision taken when the last
    /// attempt ended, and why a further attempt would be unsafe. Retry-After is not kept here: it is part of each
    /// attempt's outcome, and so of the decision.
    /// </summary>
    internal static class CallProperties
    {
        public static readonly ResiliencePropertyKey<CodatOperation> Operation = new ResiliencePropertyKey<CodatOperation>("codat.operation");
        public static readonly ResiliencePropertyKey<CodatRetryOptions> Policy = new ResiliencePropertyKey<CodatRetryOptions>("codat.policy");
        public static readonly ResiliencePropertyKey<CodatCallOptions?> CallOptions = new ResiliencePropertyKey<CodatCallOptions?>("codat.call-options");
        public static readonly ResiliencePropertyKey<CallBudget> Budget = new ResiliencePropertyKey<CallBudget>("codat.budget");

        /// <summary>Attempts started so far (1 during the first).</summary>
        public static readonly ResiliencePropertyKey<int> Attempts = new ResiliencePropertyKey<int>("codat.attempts");

        /// <summary>What to do after the last attempt: decided once, when it ended, and only read afterwards.</summary>
        public static readonly ResiliencePropertyKey<RetryDecision> Decision = new ResiliencePropertyKey<RetryDecision>("codat.decision");

        /// <summary>Set by an attempt when a further attempt would be unsafe (bytes written that cannot be undone).</summary>
        public static readonly ResiliencePropertyKey<string?> RetryBlockedReason = new ResiliencePropertyKey<string?>("codat.retry-blocked");

        /// <summary>The decision about the attempt that ended last; Stop when there is none (nothing to retry).</summary>
        public static RetryDecision DecisionOf(ResilienceContext context) =>
            context.Properties.GetValue(Decision, RetryDecision.Stop);
    }
}
