using System;
using System.Collections.Generic;
using CodatFiles.Client;
using CodatFiles.Errors;
using CodatFiles.Pipeline;

namespace CodatFiles.Commands
{
    /// <summary>
    /// Lists a company's files for a cmdlet: the call runs on a worker (so the pipeline thread keeps writing retry
    /// messages while it waits, and Ctrl+C stops it) with the cmdlet's retries, and the pipeline thread waits for it.
    /// Used by Get-CodatFileList and by Save-CodatFiles' planning.
    /// </summary>
    internal sealed class CompanyFileLister
    {
        private readonly CodatApiCmdletBase _cmdlet;
        private readonly BoundedWorkerPool _pool;

        public CompanyFileLister(CodatApiCmdletBase cmdlet)
        {
            _cmdlet = cmdlet;
            _pool = cmdlet.CreateWorkerPool(1);
        }

        /// <summary>The company's files in upload order, or null when listing failed (that error has been written).</summary>
        public IReadOnlyList<CodatFile>? List(Guid companyId)
        {
            IReadOnlyList<CodatFile>? listed = null;
            var client = _cmdlet.Client;
            var callOptions = _cmdlet.CreateCallOptions($"List files of company {companyId}", null);
            var messages = _cmdlet.Messages;
            _pool.Start(
                async token => listed = await client.ListFilesAsync(companyId, callOptions, token).ConfigureAwait(false),
                exception => messages.WriteError(ErrorRecordFactory.FromException(exception, companyId, $"Listing the files of company {companyId}")));
            _cmdlet.PumpUntilIdle(null);
            return listed;
        }
    }
}
