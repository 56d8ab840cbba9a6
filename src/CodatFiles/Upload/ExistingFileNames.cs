using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodatFiles.Client;

namespace CodatFiles.Upload
{
    /// <summary>
    /// For -SkipExisting: the names of the files each company already has, listed once per company per call (the
    /// first batch for a company lists, the others wait for that list). "Already stored" means exactly: a file
    /// of that company whose name, compared ordinally (case-sensitive), equals the file's name, whatever its
    /// connection, size, content or upload time, in the list taken when the call first needed that company.
    /// </summary>
    internal sealed class ExistingFileNames
    {
        private readonly CodatFilesClient _client;
        private readonly Func<Guid, string, CodatCallOptions> _createCallOptions;
        private readonly ConcurrentDictionary<Guid, Lazy<Task<HashSet<string>>>> _byCompany =
            new ConcurrentDictionary<Guid, Lazy<Task<HashSet<string>>>>();
        private int _skipped;

        /// <param name="client">The client that lists.</param>
        /// <param name="createCallOptions">The options of the list call for a company, given the call's description.</param>
        public ExistingFileNames(CodatFilesClient client, Func<Guid, string, CodatCallOptions> createCallOptions)
        {
            _client = client;
            _createCallOptions = createCallOptions;
        }

        /// <summary>Files skipped so far in this call.</summary>
        public int Skipped => Volatile.Read(ref _skipped);

        public Task<HashSet<string>> ForCompanyAsync(Guid companyId, CancellationToken cancellationToken) =>
            _byCompany.GetOrAdd(companyId, id => new Lazy<Task<HashSet<string>>>(() => ListAsync(id, cancellationToken))).Value;

        public void CountSkipped() => Interlocked.Increment(ref _skipped);

        private async Task<HashSet<string>> ListAsync(Guid companyId, CancellationToken cancellationToken)
        {
            var files = await _client.ListFilesAsync(companyId, _createCallOptions(companyId, $"Listing the files company {companyId} already has"),
                cancellationToken).ConfigureAwait(false);
            return new HashSet<string>(files.Where(f => f.FileName != null).Select(f => f.FileName!), StringComparer.Ordinal);
        }
    }
}
