using System;
using System.Globalization;
using CodatFiles.Client;
using CodatFiles.Connection;

namespace CodatFiles.Errors
{
    /// <summary>
    /// Why the client stopped retrying, and what stopped a timed-out attempt, in the words of the cmdlets: the
    /// parameters a user can set (-MaximumRetryCount, -TimeoutSec) by name, never the client's option names
    /// (MaxRetryAttempts, PerAttemptTimeout, MaxElapsedTime, MaxUnreachableTime), which no user can set as such.
    /// </summary>
    internal static class RetryWording
    {
        /// <summary>Why no further attempt followed, as a sentence; null when the failure was not one to retry.</summary>
        public static string? GiveUp(CodatException exception)
        {
            var giveUp = exception.GiveUp;
            if (giveUp is null) return exception.GiveUpReason;
            var callTime = RetryParameterTranslator.FormatDuration(giveUp.MaxElapsedTime);
            switch (giveUp.Kind)
            {
                case CodatGiveUpKind.RetriesDisabled:
                    return "Retries are off (-MaximumRetryCount 0).";
                case CodatGiveUpKind.RetryLimitReached:
                    return $"Gave up after the {Count(giveUp.MaxRetryAttempts)} {(giveUp.MaxRetryAttempts == 1 ? "retry" : "retries")} that -MaximumRetryCount allows.";
                case CodatGiveUpKind.TimeBudgetUsedUp:
                    return $"Gave up: the call's time for retries ({callTime}) is used up.";
                case CodatGiveUpKind.NextWaitPastBudget:
                    return $"Gave up: the next wait of {Seconds(giveUp.Wait)} would end past the call's time for retries ({callTime}; {Seconds(giveUp.Elapsed)} used).";
                case CodatGiveUpKind.ServerWaitPastBudget:
                    return $"Gave up at once: the server asks to wait {Seconds(giveUp.Wait)}, more than the {Seconds(giveUp.TimeLeft)} left of the call's time for retries ({callTime}).";
                case CodatGiveUpKind.UnreachableTooLong:
                    return $"Gave up: the server could not be reached for {RetryParameterTranslator.FormatDuration(giveUp.MaxUnreachableTime)}.";
                default:
                    return giveUp.ToString();
            }
        }

        /// <summary>What stopped a timed-out attempt, naming -TimeoutSec for the per-attempt timeout.</summary>
        public static string TimeoutReason(CodatConnectionException connection)
        {
            if (!(connection.TimeLimit is TimeSpan limit)) return connection.Reason;
            return connection.BudgetRanOut
                ? $"the call's time for retries ({RetryParameterTranslator.FormatDuration(limit)}) ran out during the attempt"
                : $"no answer within -TimeoutSec {limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}";
        }

        private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

        private static string Seconds(TimeSpan? value) => CodatGiveUp.Seconds(value) + " s";
    }
}
