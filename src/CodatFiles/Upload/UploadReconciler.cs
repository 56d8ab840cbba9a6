using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CodatFiles.Client;
using CodatFiles.Errors;
using CodatFiles.Pipeline;

namespace CodatFiles.Upload
{
    /// <summary>
    /// The check at the end of a Send-CodatFile call: for every company where an attempt's outcome was unknown
    /// (every company under -Verify), the company's files are listed once more and compared, name by name, with
    /// the start list plus what this call reported sent. More entries than that → a warning naming the file and
    /// the entries' upload times; fewer, also in a second list a moment later → an error. A file whose last attempt
    /// stayed unknown when the retries ran out is held here: a result with a warning when the list shows it, else
    /// its error. Under -Verify results are held too and written only once the list confirmed them. It runs only
    /// when the call ends normally (not after Ctrl+C or a stopping error), which is why doubts are also warned
    /// about when they arise.
    /// </summary>
    internal sealed class UploadReconciler
    {
        /// <summary>How long to wait before listing again when files seem missing: a list may lag a moment behind.</summary>
        public static readonly TimeSpan ListLagPause = TimeSpan.FromSeconds(2);

        private readonly object _gate = new object();
        private readonly PipelineMessageQueue _messages;
        private readonly TransferTally _tally;
        private readonly bool _verify;
        private readonly HashSet<Guid> _ambiguous = new HashSet<Guid>();
        private readonly Dictionary<(Guid Company, string Name), List<SendCodatFileResult>> _sent = new Dictionary<(Guid Company, string Name), List<SendCodatFileResult>>();
        private readonly Dictionary<(Guid Company, string Name), List<(FileInfo File, ErrorRecord Error, UploadBatch Batch, int Attempts)>> _unknown =
            new Dictionary<(Guid Company, string Name), List<(FileInfo File, ErrorRecord Error, UploadBatch Batch, int Attempts)>>();

        public UploadReconciler(PipelineMessageQueue messages, TransferTally tally, bool verify)
        {
            _messages = messages;
            _tally = tally;
            _verify = verify;
        }

        /// <summary>A file the call may report as uploaded: written now, or under -Verify held for the check.</summary>
        public void Uploaded(SendCodatFileResult result)
        {
            lock (_gate) Add(_sent, (result.CompanyId, result.FileName), result);
            if (_verify) return;
            _messages.WriteObject(result);
            _tally.AddDone(1, result.Length);
        }

        /// <summary>An attempt for the company had an unknown outcome: the company is checked at the end.</summary>
        public void AttemptWasAmbiguous(Guid companyId)
        {
            lock (_gate) _ambiguous.Add(companyId);
        }

        /// <summary>The call for <paramref name="file"/> failed right after an attempt that may have stored it: decided at the end.</summary>
        public void OutcomeUnknown(UploadBatch batch, FileInfo file, ErrorRecord error, int attempts)
        {
            lock (_gate)
            {
                _ambiguous.Add(batch.CompanyId);
                Add(_unknown, (batch.CompanyId, file.Name), (file, error, batch, attempts));
            }
        }

        /// <summary>Whether the company is checked at the end: -Verify, or an attempt's outcome was unknown.</summary>
        public bool MustCheck(Guid companyId)
        {
            lock (_gate) return _verify || _ambiguous.Contains(companyId);
        }

        /// <summary>
        /// Starts the check of each company of the call that needs it (<see cref="MustCheck"/>), one job per company
        /// on <paramref name="pool"/> under the company's own limit; <paramref name="listNow"/> lists a company.
        /// </summary>
        public void StartChecks(CompanyStartLists lists, BoundedWorkerPool pool, CompanyConcurrency concurrency,
            Func<Guid, CancellationToken, Task<IReadOnlyList<CodatFile>>> listNow)
        {
            foreach (var companyId in lists.Companies)
            {
                if (!MustCheck(companyId) || !(lists.Taken(companyId) is CompanyStartList start)) continue;
                pool.Start(
                    token => CheckAsync(companyId, start, listToken => listNow(companyId, listToken), token),
                    exception => _messages.WriteError(ErrorRecordFactory.FromException(exception, companyId, $"Checking the uploads to company {companyId}")),
                    concurrency.For(companyId));
            }
        }

        /// <summary>Lists the company's files (twice if some seem missing) and writes what the comparison shows.</summary>
        public async Task CheckAsync(Guid companyId, CompanyStartList start, Func<CancellationToken, Task<IReadOnlyList<CodatFile>>> list,
            CancellationToken cancellationToken)
        {
            var names = NamesOf(companyId);
            IReadOnlyList<CodatFile> now;
            try
            {
                now = await list(cancellationToken).ConfigureAwait(false);
                if (names.Any(name => Missing(companyId, name, start, now) > 0))
                {
                    await Task.Delay(ListLagPause, cancellationToken).ConfigureAwait(false);
                    now = await list(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                CheckFailed(companyId, names, exception);
                return;
            }

            foreach (var name in names) Compare(companyId, name, start, now);
        }

        private void Compare(Guid companyId, string name, CompanyStartList start, IReadOnlyList<CodatFile> now)
        {
            var sent = Taken(_sent, (companyId, name));
            var unknown = Taken(_unknown, (companyId, name));
            var entries = now.Where(f => string.Equals(f.FileName, name, StringComparison.Ordinal))
                .OrderByDescending(f => f.UploadedAt ?? DateTimeOffset.MinValue).ToList();
            var extra = entries.Count - StartCount(start, name) - sent.Count;
            if (extra < 0)
            {
                // Counted as failed even without -Verify, where its result was already written: "0 failed" must not
                // stand after a file reported sent turned out missing.
                _messages.WriteError(ErrorRecordFactory.UploadNotStored(name, companyId, -extra, sent.Select(r => new FileInfo(r.FullName)).ToList()),
                    Math.Max(1, sent.Count), sent.Sum(r => r.Length));
                foreach (var (file, error, _, _) in unknown) Fail(file, error);
                return;
            }

            foreach (var result in sent) WriteVerified(result);
            foreach (var (file, error, batch, attempts) in unknown)
            {
                if (extra <= 0)
                {
                    Fail(file, error);
                    continue;
                }

                extra--;
                var uploadedAt = entries[0].UploadedAt?.UtcDateTime ?? DateTime.UtcNow;
                _messages.WriteWarning($"'{file.FullName}': its last attempt got no answer Codat can be held to and no retry was left, but the " +
                                       $"file list of company {companyId} at the end of the call shows it stored, so it is reported sent. Check it with Get-CodatFileList.");
                var result = new SendCodatFileResult(file.Name, file.FullName, file.Length, batch.CompanyId, batch.ConnectionId, uploadedAt, attempts, _verify);
                _messages.WriteObject(result);
                _tally.AddDone(1, file.Length);
            }

            if (extra > 0) WarnStoredMoreOften(companyId, name, extra, entries, sent);
        }

        private void WarnStoredMoreOften(Guid companyId, string name, int extra, List<CodatFile> entries, List<SendCodatFileResult> sent)
        {
            var times = string.Join(", ", entries.Take(extra + sent.Count).Select(f => f.Uploaded ?? "(no time)"));
            var paths = sent.Count == 0 ? "" : " (sent from " + string.Join(", ", sent.Select(r => "'" + r.FullName + "'")) + ")";
            _messages.WriteWarning($"'{name}'{paths} is stored {Counted.Of(extra, "more time", "more times")} than this call sent it for company " +
                                   $"{companyId}: its newest entries were uploaded at {times} (Codat's clock). An attempt whose answer was lost " +
                                   "may have been stored late, or another writer stored the same name. Check with Get-CodatFileList.");
        }

        private void WriteVerified(SendCodatFileResult result)
        {
            if (!_verify) return;
            _messages.WriteObject(new SendCodatFileResult(result.FileName, result.FullName, result.Length, result.CompanyId, result.ConnectionId,
                result.UploadedAt, result.Attempts, verified: true));
            _tally.AddDone(1, result.Length);
        }

        private void Fail(FileInfo file, ErrorRecord error)
        {
            _messages.WriteFileError(error, file);
        }

        private void CheckFailed(Guid companyId, IReadOnlyList<string> names, Exception exception)
        {
            var held = names.SelectMany(name => _verify ? Taken(_sent, (companyId, name)).Select(r => new FileInfo(r.FullName)) : Enumerable.Empty<FileInfo>()).ToList();
            _messages.WriteWarning($"The file list of company {companyId} at the end of the call could not be taken, so what this call stored there is not checked" +
                                   (_verify ? $"; {Counted.Files(held.Count)} are not reported as verified." : "."));
            if (held.Count > 0)
            {
                _messages.WriteError(ErrorRecordFactory.FromException(exception, held, $"Verifying the uploads to company {companyId}"),
                    held.Count, held.Sum(f => f.Length));
            }

            foreach (var name in names)
            {
                foreach (var (file, error, _, _) in Taken(_unknown, (companyId, name))) Fail(file, error);
            }
        }

        private int Missing(Guid companyId, string name, CompanyStartList start, IReadOnlyList<CodatFile> now)
        {
            int sent;
            lock (_gate) sent = _sent.TryGetValue((companyId, name), out var list) ? list.Count : 0;
            return StartCount(start, name) + sent - now.Count(f => string.Equals(f.FileName, name, StringComparison.Ordinal));
        }

        private List<string> NamesOf(Guid companyId)
        {
            lock (_gate)
            {
                return _sent.Keys.Concat(_unknown.Keys).Where(k => k.Company == companyId).Select(k => k.Name)
                    .Distinct(StringComparer.Ordinal).ToList();
            }
        }

        private static int StartCount(CompanyStartList start, string name) => start.Index.EntriesNamedExactly(name);

        private List<T> Taken<T>(Dictionary<(Guid Company, string Name), List<T>> map, (Guid, string) key)
        {
            lock (_gate)
            {
                if (!map.TryGetValue(key, out var list)) return new List<T>();
                map.Remove(key);
                return list;
            }
        }

        private static void Add<T>(Dictionary<(Guid Company, string Name), List<T>> map, (Guid, string) key, T value)
        {
            if (!map.TryGetValue(key, out var list)) map.Add(key, list = new List<T>());
            list.Add(value);
        }
    }
}
