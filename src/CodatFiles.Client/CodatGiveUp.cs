using System;
using System.Globalization;

namespace CodatFiles.Client
{
    /// <summary>Why the client made no further attempt although the failure was worth retrying.</summary>
    public enum CodatGiveUpKind
    {
        /// <summary><see cref="CodatRetryOptions.MaxRetryAttempts"/> is 0.</summary>
        RetriesDisabled,
        /// <summary><see cref="CodatRetryOptions.MaxRetryAttempts"/> retries were made.</summary>
        RetryLimitReached,
        /// <summary>The call's <see cref="CodatRetryOptions.MaxElapsedTime"/> is spent.</summary>
        TimeBudgetUsedUp,
        /// <summary>The next backoff wait would end past <see cref="CodatRetryOptions.MaxElapsedTime"/>.</summary>
        NextWaitPastBudget,
        /// <summary>The server's Retry-After lies beyond what is left of <see cref="CodatRetryOptions.MaxElapsedTime"/>.</summary>
        ServerWaitPastBudget,
        /// <summary>The server could not be reached for <see cref="CodatRetryOptions.MaxUnreachableTime"/>.</summary>
        UnreachableTooLong,
        /// <summary>A further attempt would be unsafe (for example, bytes already written to a stream that cannot be rewound).</summary>
        RetryUnsafe,
    }

    /// <summary>
    /// The facts of why retrying stopped, for a caller that words its own message (the PowerShell module names its
    /// parameters); <see cref="ToString"/> is the client's own wording, as in <see cref="CodatException.GiveUpReason"/>.
    /// </summary>
    public sealed class CodatGiveUp
    {
        /// <summary>Creates the facts.</summary>
        public CodatGiveUp(CodatGiveUpKind kind, CodatRetryOptions policy, TimeSpan elapsed, TimeSpan? wait = null, string? detail = null)
        {
            Kind = kind;
            MaxRetryAttempts = policy.MaxRetryAttempts;
            MaxElapsedTime = policy.MaxElapsedTime;
            MaxUnreachableTime = policy.MaxUnreachableTime;
            Elapsed = elapsed;
            Wait = wait;
            Detail = detail;
        }

        /// <summary>Why.</summary>
        public CodatGiveUpKind Kind { get; }

        /// <summary>The call's retry limit.</summary>
        public int MaxRetryAttempts { get; }

        /// <summary>The call's time budget.</summary>
        public TimeSpan MaxElapsedTime { get; }

        /// <summary>How long an unreachable server is retried.</summary>
        public TimeSpan MaxUnreachableTime { get; }

        /// <summary>The call's time used when it gave up.</summary>
        public TimeSpan Elapsed { get; }

        /// <summary>The wait that was refused (<see cref="CodatGiveUpKind.NextWaitPastBudget"/>, <see cref="CodatGiveUpKind.ServerWaitPastBudget"/>).</summary>
        public TimeSpan? Wait { get; }

        /// <summary>What of the budget was left: <see cref="MaxElapsedTime"/> less <see cref="Elapsed"/>, never negative.</summary>
        public TimeSpan TimeLeft => MaxElapsedTime > Elapsed ? MaxElapsedTime - Elapsed : TimeSpan.Zero;

        /// <summary>Why a further attempt was unsafe (<see cref="CodatGiveUpKind.RetryUnsafe"/>).</summary>
        public string? Detail { get; }

        /// <inheritdoc />
        public override string ToString()
        {
            switch (Kind)
            {
                case CodatGiveUpKind.RetriesDisabled:
                    return "retries are disabled (MaxRetryAttempts 0)";
                case CodatGiveUpKind.RetryLimitReached:
                    return $"gave up after MaxRetryAttempts ({MaxRetryAttempts.ToString(CultureInfo.InvariantCulture)}) retries";
                case CodatGiveUpKind.TimeBudgetUsedUp:
                    return $"gave up because MaxElapsedTime ({Seconds(MaxElapsedTime)} s) is used up";
                case CodatGiveUpKind.NextWaitPastBudget:
                    return $"gave up because the next wait of {Seconds(Wait)} s would pass MaxElapsedTime ({Seconds(MaxElapsedTime)} s; {Seconds(Elapsed)} s used)";
                case CodatGiveUpKind.ServerWaitPastBudget:
                    return $"gave up at once: the server asks to wait {Seconds(Wait)} s, beyond the remaining retry budget of {Seconds(TimeLeft)} s (MaxElapsedTime {Seconds(MaxElapsedTime)} s)";
                case CodatGiveUpKind.UnreachableTooLong:
                    return $"gave up because the server could not be reached for MaxUnreachableTime ({Seconds(MaxUnreachableTime)} s)";
                default:
                    return Detail ?? "a further attempt would be unsafe";
            }
        }

        /// <summary>Seconds as the messages show them: up to three decimals, invariant culture.</summary>
        public static string Seconds(TimeSpan? value) => (value ?? TimeSpan.Zero).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
