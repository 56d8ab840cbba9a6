using System;
using System.Globalization;
using System.Text;

namespace CodatFiles.Client
{
    /// <summary>
    /// One HTTP request of a call and what came back, as <see cref="CodatCallOptions.OnHttpExchange"/> reports it:
    /// enough to trace a call (Codat's SDKs offer the same as a debug logger) and never the API key, which travels
    /// only in the Authorization header and is not part of any of these values.
    /// </summary>
    public sealed class CodatHttpExchange
    {
        /// <summary>Creates an exchange record.</summary>
        public CodatHttpExchange(string operation, string method, string url, int attempt, int? statusCode, TimeSpan duration,
            long? rateLimitRemaining, string? failure, CodatRateLimit? rateLimit = null)
        {
            RateLimit = rateLimit;
            Operation = operation;
            Method = method;
            Url = url;
            Attempt = attempt;
            StatusCode = statusCode;
            Duration = duration;
            RateLimitRemaining = rateLimitRemaining;
            Failure = failure;
        }

        /// <summary>The API operation id (list-files, upload-files, download-files).</summary>
        public string Operation { get; }

        /// <summary>GET or POST.</summary>
        public string Method { get; }

        /// <summary>The request URL without any user info of the server URL.</summary>
        public string Url { get; }

        /// <summary>Which attempt of the call this was (1 is the first).</summary>
        public int Attempt { get; }

        /// <summary>The response's status; null when no response came (connection failure, timeout, cancellation).</summary>
        public int? StatusCode { get; }

        /// <summary>From sending the request until its response headers arrived, or until it failed.</summary>
        public TimeSpan Duration { get; }

        /// <summary>The response's X-Rate-Limit-Remaining header; null when it had none.</summary>
        public long? RateLimitRemaining { get; }

        /// <summary>
        /// All of the response's X-Rate-Limit-* headers (limit, remaining, reset as sent); null when it had none or no
        /// response came.
        /// </summary>
        public CodatRateLimit? RateLimit { get; }

        /// <summary>Why no response came (the exception's type and message, with the key masked); null when one did.</summary>
        public string? Failure { get; }

        /// <summary>e.g. "POST https://api.codat.io/companies/…/files: 200 in 84 ms (attempt 1, X-Rate-Limit-Remaining 997)".</summary>
        public override string ToString()
        {
            var text = new StringBuilder()
                .Append(Method).Append(' ').Append(Url).Append(": ")
                .Append(StatusCode is int status ? status.ToString(CultureInfo.InvariantCulture) : "no response")
                .Append(" in ").Append(Math.Round(Duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)).Append(" ms (attempt ")
                .Append(Attempt.ToString(CultureInfo.InvariantCulture))
                .Append(", X-Rate-Limit-Remaining ")
                .Append(RateLimitRemaining is long remaining ? remaining.ToString(CultureInfo.InvariantCulture) : "not sent")
                .Append(')');
            if (Failure != null) text.Append(": ").Append(Failure);
            return text.ToString();
        }
    }
}
