using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodatFiles.Client;

namespace CodatFiles.Upload
{
    /// <summary>
    /// The list of each company's files taken once at the start of a Send-CodatFile call (the first batch for a
    /// company lists, the others wait for it), for every company of the call whatever the switches. It is the
    /// baseline the client counts against when an attempt got no answer (<see cref="CodatUploadBaseline"/>), and
    /// what the re-run rule compares local files with (<see cref="ReRunFilter"/>). When it fails, that company's files are not sent, under one error.
    /// </summary>
    internal sealed class CompanyStartLists
    {
        private readonly CodatFilesClient _client;
        private readonly Func<Guid, string, CodatCallOptions> _createCallOptions;
        private readonly Action<string>? _onListBroken;

        // A list that breaks after its first entries is read again from the start, at most this many times in all.
        private const int MaxPasses = 3;
        private readonly ConcurrentDictionary<Guid, Lazy<Task<CompanyStartList>>> _byCompany =
            new ConcurrentDictionary<Guid, Lazy<Task<CompanyStartList>>>();
        private readonly object _gate = new object();
        private readonly Dictionary<Guid, List<FileInfo>> _queued = new Dictionary<Guid, List<FileInfo>>();
        private readonly Dictionary<Guid, HashSet<FileInfo>> _coveredByFailure = new Dictionary<Guid, HashSet<FileInfo>>();

        /// <param name="client">The client that lists.</param>
        /// <param name="createCallOptions">The options of the list call for a company, given the call's description.</param>
        /// <param name="onListBroken">Told (for -Verbose) when a list broke part-way and is read again.</param>
        public CompanyStartLists(CodatFilesClient client, Func<Guid, string, CodatCallOptions> createCallOptions, Action<string>? onListBroken = null)
        {
            _client = client;
            _createCallOptions = createCallOptions;
            _onListBroken = onListBroken;
        }

        /// <summary>The companies whose start list was asked for, so far.</summary>
        public IReadOnlyList<Guid> Companies => _byCompany.Keys.ToList();

        public Task<CompanyStartList> ForCompanyAsync(Guid companyId, CancellationToken cancellationToken) =>
            _byCompany.GetOrAdd(companyId, id => new Lazy<Task<CompanyStartList>>(() => ListAsync(id, cancellationToken))).Value;

        /// <summary>The list of <paramref name="companyId"/> if it was taken and succeeded; else null.</summary>
        public CompanyStartList? Taken(Guid companyId) =>
            _byCompany.TryGetValue(companyId, out var lazy) && lazy.IsValueCreated && lazy.Value.Status == TaskStatus.RanToCompletion
                ? lazy.Value.Result
                : null;

        /// <summary>Records a batch handed to the workers (pipeline thread), so one error can cover all its company's files.</summary>
        public void Queued(UploadBatch batch)
        {
            lock (_gate)
            {
                if (!_queued.TryGetValue(batch.CompanyId, out var files)) _queued.Add(batch.CompanyId, files = new List<FileInfo>());
                files.AddRange(batch.Files);
            }
        }

        /// <summary>
        /// When the company's list failed: the files the one error for it must cover, or null when an error already
        /// covers every file of <paramref name="batch"/>. The first batch to ask gets every file queued for the
        /// company so far; a batch queued after that error was written gets its own files.
        /// </summary>
        public IReadOnlyList<FileInfo>? FilesForFailure(UploadBatch batch)
        {
            lock (_gate)
            {
                if (!_coveredByFailure.TryGetValue(batch.CompanyId, out var covered))
                {
                    _coveredByFailure.Add(batch.CompanyId, covered = new HashSet<FileInfo>());
                    var queued = _queued.TryGetValue(batch.CompanyId, out var files) ? files.ToList() : new List<FileInfo>();
                    foreach (var file in batch.Files) if (!queued.Contains(file)) queued.Add(file);
                    covered.UnionWith(queued);
                    return queued;
                }

                if (batch.Files.All(covered.Contains)) return null;
                var own = batch.Files.Where(f => !covered.Contains(f)).ToList();
                covered.UnionWith(own);
                return own;
            }
        }

        private async Task<CompanyStartList> ListAsync(Guid companyId, CancellationToken cancellationToken)
        {
            var options = _createCallOptions(companyId, $"Listing the files company {companyId} has before sending");
            for (var pass = 1; ; pass++)
            {
                // Read as it arrives and reduced to names, counts and times, so a list of any size costs little. A list
                // broken after its first entries cannot be retried by the client (it hands entries out), but this
                // reader keeps nothing of a broken pass, so it may list again.
                var index = new StoredFileIndex();
                try
                {
                    await foreach (var file in _client.ListFilesStreamAsync(companyId, options, cancellationToken).ConfigureAwait(false)) index.Add(file);
                    return new CompanyStartList(index);
                }
                catch (CodatException exception) when (exception.GiveUp?.Kind == CodatGiveUpKind.RetryUnsafe && pass < MaxPasses)
                {
                    _onListBroken?.Invoke($"The list of company {companyId} broke after some entries ({exception.Message}); listing it again.");
                }
            }
        }
    }

    /// <summary>One company's files as listed at the start of the call, reduced to names, counts and times.</summary>
    internal sealed class CompanyStartList
    {
        public CompanyStartList(StoredFileIndex index)
        {
            Index = index;
            Baseline = index.ToBaseline();
        }

        /// <summary>What the company held per name: for the re-run rule and the end-of-call check.</summary>
        public StoredFileIndex Index { get; }

        /// <summary>What the company holds per name, plus this call's confirmed uploads as the client adds them.</summary>
        public CodatUploadBaseline Baseline { get; }
    }
}
