using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Text;
using CodatFiles.Client;

namespace CodatFiles.Errors
{
    /// <summary>
    /// Codat's limits: a spent daily quota (CodatFiles.QuotaExhausted) apart from a short burst of 429s
    /// (CodatFiles.RateLimited), each with advice that names only parameters of the cmdlet that met it.
    /// </summary>
    internal static partial class ErrorRecordFactory
    {
        /// <summary>
        /// True for a 429 that means the daily quota is spent: its wait lies beyond the retry budget (the client
        /// gave up at once), or it says X-Rate-Limit-Remaining 0 with a reset still to come.
        /// </summary>
        public static bool IsQuotaSpent(CodatApiException api)
        {
            if (api.Kind != CodatErrorKind.TooManyRequests) return false;
            if (api.RetryAfterBeyondBudget) return true;
            var now = DateTimeOffset.UtcNow;
            return api.RateLimit?.Remaining == 0 && QuotaReset.Of(api, now) is DateTimeOffset reset && reset > now;
        }

        /// <summary>"&lt;activity&gt; failed: Codat's daily request quota ... is used up ... It resets at &lt;local&gt;, &lt;UTC&gt;."</summary>
        private static ErrorRecord QuotaExhausted(CodatApiException api, object? targetObject, string activity) =>
            Create(api, ErrorIds.QuotaExhausted, targetObject, activity + " failed: " + QuotaSpentSentence(api), QuotaAdvice(ForUploads(api, targetObject)));

        /// <summary>The advice of a 429 burst: -ThrottleLimit only where the cmdlet has it (uploads are Send-CodatFile's alone).</summary>
        private static string RateLimitedAdvice(CodatApiException api, bool forUploads) =>
            (forUploads
                ? "Codat's rate or concurrency limit was hit; lower -ThrottleLimit, allow more retries if -MaximumRetryCount limited them, or send again shortly"
                : "Codat's rate or concurrency limit was hit; allow more retries if -MaximumRetryCount limited them, run fewer calls for the same company at once, or try again shortly")
            + (QuotaReset.Describe(api.RateLimit?.Reset, DateTimeOffset.UtcNow) is string reset ? $" (the daily quota resets at {reset})." : ".");

        private static string QuotaSpentSentence(CodatApiException api)
        {
            var message = new StringBuilder("Codat's daily request quota for this API key is used up (")
                .Append(api.StatusCode.ToString(CultureInfo.InvariantCulture));
            if (api.RateLimit?.Limit is long limit) message.Append("; X-Rate-Limit-Limit ").Append(limit.ToString(CultureInfo.InvariantCulture));
            message.Append("). ");
            message.Append(QuotaReset.Of(api, DateTimeOffset.UtcNow) is DateTimeOffset reset
                ? "It resets at " + QuotaReset.Describe(reset) + "; until then Codat refuses every request of the key"
                : "Codat did not say when it resets; until then it refuses every request of the key");
            message.Append(", for every company of it");
            if (!string.IsNullOrWhiteSpace(api.CorrelationId)) message.Append(" (correlation id ").Append(api.CorrelationId).Append(')');
            return message.Append('.').ToString();
        }

        /// <summary>
        /// Whether the error is about files Send-CodatFile was to send: an upload, or the list it takes first (whose
        /// target is the files it held back).
        /// </summary>
        private static bool ForUploads(CodatApiException api, object? targetObject) =>
            api.Operation == OperationNames.UploadFiles || targetObject is FileInfo || targetObject is System.Collections.Generic.IEnumerable<FileInfo>;

        private static string QuotaAdvice(bool forUploads) =>
            (forUploads
                ? "Send the failed files again after the reset (the errors' TargetObject pipes back into Send-CodatFile)"
                : "Run the command again after the reset") +
            "; to do more in a day, ask Codat to raise the quota of the key.";
    }
}
