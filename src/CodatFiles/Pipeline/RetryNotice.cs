using System;
using System.Collections.Generic;
using CodatFiles.Client;

namespace CodatFiles.Pipeline
{
    /// <summary>
    /// What a retry tells the user: always a verbose line, and a warning too when the wait is long, because a long
    /// silent wait looks like a hang (warnings show without -Verbose, and in every job log).
    /// </summary>
    internal static class RetryNotice
    {
        /// <summary>Retry waits longer than this are also warnings.</summary>
        public static readonly TimeSpan LongWait = TimeSpan.FromSeconds(10);

        /// <summary>The messages for one retry of the call described by <paramref name="context"/>, verbose first.</summary>
        public static IEnumerable<(bool IsWarning, string Text)> For(string context, CodatRetryEvent retry)
        {
            // The context already names the call, so the client's operation id is left out.
            var text = context + ": " + retry.Describe();
            yield return (false, text);
            if (retry.Delay > LongWait) yield return (true, text);
        }

        public static void Post(PipelineMessageQueue messages, string context, CodatRetryEvent retry)
        {
            foreach (var (isWarning, text) in For(context, retry))
            {
                if (isWarning) messages.WriteWarning(text);
                else messages.WriteVerbose(text);
            }
        }
    }
}
