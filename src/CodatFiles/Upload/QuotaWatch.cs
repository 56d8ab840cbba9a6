using System;
using System.Collections.Generic;
using CodatFiles.Client;
using CodatFiles.Pipeline;

namespace CodatFiles.Upload
{
    /// <summary>
    /// Send-CodatFile's look ahead at Codat's request quota. Per company it keeps the X-Rate-Limit-Remaining (and
    /// -Reset) last seen on any answer for that company in this call, the -SkipExisting list included, and how many
    /// of the company's batches were formed and not sent yet. Right before a batch is sent, when fewer requests are
    /// left than that company still needs (its unsent batches, this one included), it posts one warning, once per
    /// company per call. Only what is known counts: batches already formed (files still to come down the pipeline,
    /// or filling a partial batch, are not), one request each (retries would take more); and no warning can come
    /// before the first answer for the company.
    /// </summary>
    internal sealed class QuotaWatch
    {
        private readonly object _gate = new object();
        private readonly Dictionary<Guid, CompanyQuota> _companies = new Dictionary<Guid, CompanyQuota>();
        private readonly PipelineMessageQueue _messages;

        public QuotaWatch(PipelineMessageQueue messages)
        {
            _messages = messages;
        }

        /// <summary>A batch for the company was formed and queued (pipeline thread).</summary>
        public void BatchQueued(Guid companyId)
        {
            lock (_gate) Company(companyId).Unsent++;
        }

        /// <summary>A queued batch that will not be sent after all (refused, every file skipped, failed before sending).</summary>
        public void BatchDropped(Guid companyId)
        {
            lock (_gate) Company(companyId).Unsent--;
        }

        /// <summary>Right before the batch's request goes out: counts it as sent, and warns when the quota seen falls short.</summary>
        public void BeforeSending(Guid companyId)
        {
            string? warning = null;
            lock (_gate)
            {
                var company = Company(companyId);
                var needed = company.Unsent;
                company.Unsent--;
                if (!company.Warned && company.Remaining is long remaining && remaining < needed)
                {
                    company.Warned = true;
                    warning = Describe(companyId, remaining, needed, company.Reset);
                }
            }
            if (warning != null) _messages.WriteWarning(warning);
        }

        /// <summary>The options, with every HTTP answer of the call also read for the company's quota.</summary>
        public CodatCallOptions Watch(Guid companyId, CodatCallOptions options)
        {
            var inner = options.OnHttpExchange;
            options.OnHttpExchange = exchange =>
            {
                Observe(companyId, exchange.RateLimit);
                inner?.Invoke(exchange);
            };
            return options;
        }

        internal static string Describe(Guid companyId, long remaining, long needed, string? reset) =>
            $"Codat's quota has {Counted.Requests(remaining)} left (X-Rate-Limit-Remaining), but this call still needs " +
            $"{Counted.Requests(needed)} for company {companyId} (its batches formed so far and not sent yet); " +
            (reset != null ? $"the quota resets at {reset}. " : "Codat did not say when the quota resets. ") +
            "Requests past the quota are answered 429.";

        private void Observe(Guid companyId, CodatRateLimit? rateLimit)
        {
            if (rateLimit?.Remaining is not long remaining) return;
            lock (_gate)
            {
                var company = Company(companyId);
                // Answers to requests in flight together can arrive in any order: within one quota period (the same
                // reset) the smallest count is the latest; a new period starts over.
                if (company.Remaining is long seen && company.Reset == rateLimit.Reset && seen <= remaining) return;
                company.Remaining = remaining;
                company.Reset = rateLimit.Reset;
            }
        }

        private CompanyQuota Company(Guid companyId)
        {
            if (!_companies.TryGetValue(companyId, out var company))
            {
                company = new CompanyQuota();
                _companies.Add(companyId, company);
            }
            return company;
        }

        private sealed class CompanyQuota
        {
            public long? Remaining;
            public string? Reset;
            public int Unsent;
            public bool Warned;
        }
    }
}
