using System;
using CodatFiles.Client;
using CodatFiles.Pipeline;

namespace CodatFiles.Connection
{
    /// <summary>
    /// The one place where -MaximumRetryCount, -RetryIntervalSec and -TimeoutSec become the client's
    /// <see cref="CodatRetryOptions"/>. Values not given keep the client's defaults (Codat's SDK policy).
    /// </summary>
    internal static class RetryParameterTranslator
    {
        /// <summary>
        /// Largest -TimeoutSec and -RetryIntervalSec accepted: one day. The client itself takes up to about 24.8 days
        /// (its timers' limit); a day is already far beyond any sensible wait or attempt, so a larger value is
        /// more likely a typo (milliseconds given as seconds) than an intent.
        /// </summary>
        public const double MaximumSeconds = 86400;

        // A positive -TimeoutSec under 10 ms means "as short as possible": no request could complete in less, and
        // the floor keeps the meaning the parameter has always had (the client accepts any positive timeout).
        private static readonly TimeSpan ShortestAttemptTimeout = TimeSpan.FromMilliseconds(10);

        public static CodatRetryOptions Translate(RetryParameters parameters)
        {
            var options = new CodatRetryOptions();

            if (parameters.MaximumRetryCount is int retries)
            {
                options.MaxRetryAttempts = retries;
            }

            if (parameters.RetryIntervalSec is double interval)
            {
                options.InitialInterval = TimeSpan.FromSeconds(interval);
                // The default 60 s cap would silently shorten a longer interval the user asked for.
                if (options.MaxInterval < options.InitialInterval) options.MaxInterval = options.InitialInterval;
            }

            if (parameters.TimeoutSec is double timeout)
            {
                var perAttempt = TimeSpan.FromSeconds(timeout);
                options.PerAttemptTimeout = perAttempt < ShortestAttemptTimeout ? ShortestAttemptTimeout : perAttempt;
            }

            // The total budget (default one hour) must leave room for at least one full attempt as the user sized it.
            if (options.MaxElapsedTime < options.PerAttemptTimeout) options.MaxElapsedTime = options.PerAttemptTimeout;

            options.Validate();
            return options;
        }

        /// <summary>The policy in words for -Verbose, e.g. "retries for up to 1 h, 300 s per attempt".</summary>
        public static string Describe(CodatRetryOptions options)
        {
            var budget = FormatDuration(options.MaxElapsedTime);
            var retries = options.MaxRetryAttempts == 0 ? "no retries"
                : options.MaxRetryAttempts == int.MaxValue ? $"retries for up to {budget} in all"
                : $"up to {Counted.Of(options.MaxRetryAttempts, "retry", "retries")} within {budget}";
            return $"{retries}, {FormatDuration(options.PerAttemptTimeout)} per attempt";
        }

        /// <summary>A duration as messages show it: whole hours or minutes when it is one, else seconds.</summary>
        public static string FormatDuration(TimeSpan duration) =>
            duration.TotalHours >= 1 && duration.TotalHours % 1 == 0 ? $"{duration.TotalHours:0} h"
            : duration.TotalMinutes >= 1 && duration.TotalMinutes % 1 == 0 ? $"{duration.TotalMinutes:0} min"
            : $"{duration.TotalSeconds:0.###} s";
    }
}
