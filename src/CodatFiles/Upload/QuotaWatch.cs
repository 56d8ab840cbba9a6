using System;
using System.Collections.Generic;
using CodatFiles.Client;
using CodatFiles.Errors;
using CodatFiles.Pipeline;

namespace CodatFiles.Upload
{
    /// <summary>
    /// Send-CodatFile's look ahead at Codat's request quota, for the whole call: the daily quota belongs to the API
    /// key and is shared by every company of it, so one count serves all the call's companies. It keeps the
    /// X-Rate-Limit-Remaining (and -Reset) last seen on any answer of the call, the -SkipExisting lists included, and
    /// how many batches were formed and not answered yet: those not sent, and those in flight (whose answers may still
    /// need the quota; a request the server counted before the last answer is counted again, so near the edge the
    /// warning may come early, never late). It judges right before each batch is sent and on every answer, so a
    /// call whose batches are all in flight before the first answer is judged too, and posts one warning per call
    /// when fewer requests are left than the call still needs. Only what is known counts: batches already formed
    /// (files still to come down the pipeline are not), one request each (retries would take more).
    /// </summary>
    internal sealed class QuotaWatch
    {
        private readonly object _gate = new object();
        private readonly HashSet<Guid> _companies = new HashSet<Guid>();
        private readonly PipelineMessageQueue _messages;
        private long? _remaining;
        private string? _reset;
        private int _unanswered;
        private bool _warned;

        public QuotaWatch(PipelineMessageQueue messages)
        {
            _messages = messages;
        }

        /// <summary>A batch for the company was formed and queued (pipeline thread).</summary>
        public void BatchQueued(Guid companyId)
        {
            lock (_gate)
            {
                _unanswered++;
                _companies.Add(companyId);
            }
        }

        /// <summary>A batch is finished: answered, failed, or never sent (refused, every file skipped, failed before sending).</summary>
        public void BatchFinished()
        {
            lock (_gate) _unanswered--;
        }

        /// <summary>Right before a batch's request goes out: warns when the quota seen falls short of the call's unanswered batches.</summary>
        public void BeforeSending() => Judge(answeredBatch: false);

        /// <summary>Reads one HTTP answer of the call for the quota (give it as <see cref="CallObservers.OnHttpExchange"/>).</summary>
        public void OnAnswer(CodatHttpExchange exchange)
        {
            if (Observe(exchange.RateLimit)) Judge(answeredBatch: IsAnsweredUpload(exchange));
        }

        internal static string Describe(long remaining, long needed, int companies, string? reset) =>
            $"Codat's quota has {Counted.Requests(remaining)} left (X-Rate-Limit-Remaining), but this call still needs " +
            $"{Counted.Requests(needed)} (its batches formed so far and not answered yet, for " +
            (companies == 1 ? "its one company" : $"all {companies} companies: the quota is shared by every company of the API key") + "); " +
            (reset != null ? $"the quota resets at {reset}. " : "Codat did not say when the quota resets. ") +
            "Requests past the quota are answered 429.";

        /// <summary>A successful upload answer: its batch needs no further request.</summary>
        private static bool IsAnsweredUpload(CodatHttpExchange exchange) =>
            exchange.Operation == OperationNames.UploadFiles && exchange.StatusCode is int status && status >= 200 && status <= 299;

        private void Judge(bool answeredBatch)
        {
            string? warning = null;
            lock (_gate)
            {
                var needed = _unanswered - (answeredBatch ? 1 : 0);
                if (!_warned && _remaining is long remaining && remaining < needed)
                {
                    _warned = true;
                    warning = Describe(remaining, needed, _companies.Count, QuotaReset.Describe(_reset, DateTimeOffset.UtcNow));
                }
            }
            if (warning != null) _messages.WriteWarning(warning);
        }

        /// <summary>Keeps the answer's count when it is the latest; true when the answer carried one.</summary>
        private bool Observe(CodatRateLimit? rateLimit)
        {
            if (rateLimit?.Remaining is not long remaining) return false;
            lock (_gate)
            {
                // Answers to requests in flight together can arrive in any order: within one quota period (the same
                // reset) the smallest count is the latest; a new period starts over.
                if (_remaining is long seen && _reset == rateLimit.Reset && seen <= remaining) return true;
                _remaining = remaining;
                _reset = rateLimit.Reset;
            }
            return true;
        }
    }
}
