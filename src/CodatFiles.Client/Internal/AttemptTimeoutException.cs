using System;
using System.Globalization;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// One attempt ran out of time: past PerAttemptTimeout, or cut short because the call's MaxElapsedTime budget
    /// ran out first. Raised instead of the OperationCanceledException that the attempt's own token produced,
    /// so that it is never confused with the caller cancelling.
    /// </summary>
    internal sealed class AttemptTimeoutException : TimeoutException
    {
        private AttemptTimeoutException(string message, bool budgetRanOut, TimeSpan limit, Exception? inner)
            : base(message, inner)
        {
            BudgetRanOut = budgetRanOut;
            Limit = limit;
        }

        /// <summary>The timeout that stopped the attempt: PerAttemptTimeout, or MaxElapsedTime when <see cref="BudgetRanOut"/>.</summary>
        public TimeSpan Limit { get; }

        /// <summary>True when the call's MaxElapsedTime, not PerAttemptTimeout, stopped the attempt.</summary>
        public bool BudgetRanOut { get; }

        public static AttemptTimeoutException PerAttempt(TimeSpan perAttemptTimeout, Exception? inner) => new AttemptTimeoutException(
            $"the attempt did not complete within the per-attempt timeout of {Seconds(perAttemptTimeout)} s", false, perAttemptTimeout, inner);

        public static AttemptTimeoutException Budget(TimeSpan maxElapsedTime, Exception? inner) => new AttemptTimeoutException(
            $"the attempt was stopped when the call's time budget (MaxElapsedTime {Seconds(maxElapsedTime)} s) ran out", true, maxElapsedTime, inner);

        private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
