using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CodatFiles.Errors;
using CodatFiles.Pipeline;

namespace CodatFiles.Commands
{
    /// <summary>
    /// Get-CodatFileList's reading of one company's list: a worker reads the answer entry by entry
    /// (CodatFilesClient.ListFilesStreamAsync), keeps what the filter passes and posts it, and the pipeline thread
    /// writes it while the rest is still arriving. The worker holds at most <see cref="OutputCredit"/>'s worth of
    /// entries the pipeline has not taken, so memory does not grow with the list. A list that breaks after entries
    /// were written is an error and is not read again (the client's rule: entries cannot be taken back).
    /// </summary>
    internal sealed class CompanyFileStreamer
    {
        // Entries posted but not yet written: enough to keep the pipeline busy, small enough not to matter.
        private const int PostedAhead = 256;

        private readonly CodatApiCmdletBase _cmdlet;
        private readonly BoundedWorkerPool _pool;

        public CompanyFileStreamer(CodatApiCmdletBase cmdlet)
        {
            _cmdlet = cmdlet;
            _pool = cmdlet.CreateWorkerPool(1);
        }

        /// <summary>Writes the company's matching files as they arrive (pipeline thread); returns what was read.</summary>
        public ListedCount Stream(Guid companyId, FileListFilter filter)
        {
            var client = _cmdlet.Client;
            var callOptions = _cmdlet.CreateCallOptions($"List files of company {companyId}", null);
            var messages = _cmdlet.Messages;
            var count = new ListedCount();
            var credit = new OutputCredit(PostedAhead);
            _pool.Start(
                async token =>
                {
                    await foreach (var file in client.ListFilesStreamAsync(companyId, callOptions, token).ConfigureAwait(false))
                    {
                        var info = CodatFileInfo.FromClient(file, companyId);
                        count.Count(info.SourceType);
                        if (!filter.Matches(info)) continue;
                        await credit.TakeAsync(token).ConfigureAwait(false);
                        messages.WriteObject(info, credit);
                        count.Written++;
                    }
                },
                exception => messages.WriteError(ErrorRecordFactory.FromException(exception, companyId, $"Listing the files of company {companyId}")));
            _cmdlet.PumpUntilIdle(null);
            return count;
        }

        /// <summary>What one company's list held: entries read, entries written, and their source types.</summary>
        internal sealed class ListedCount
        {
            private readonly HashSet<string> _sourceTypes = new HashSet<string>(StringComparer.Ordinal);

            public int Entries { get; private set; }

            public int Written { get; set; }

            /// <summary>The distinct source types seen (a handful, whatever the list's size).</summary>
            public IEnumerable<string> SourceTypes => _sourceTypes;

            public void Count(string? sourceType)
            {
                Entries++;
                if (sourceType != null) _sourceTypes.Add(sourceType);
            }
        }
    }
}
