using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CodatFiles.Pipeline;
using CodatFiles.Upload;

namespace CodatFiles.Commands
{
    /// <summary>
    /// Under -WhatIf or -Confirm, Send-CodatFile applies the re-run rule on the pipeline thread, before the user is
    /// asked or the preview is written, so it neither asks about nor previews as an upload a file Codat already holds:
    /// -WhatIf previews the sync. The company's start list is taken then (one list per company, as otherwise).
    /// </summary>
    internal sealed class ReRunBeforeAsking
    {
        private readonly PSCmdlet _cmdlet;
        private readonly CompanyStartLists _lists;
        private readonly ReRunFilter _filter;
        private readonly bool _whatIf;
        private readonly Action<Func<CancellationToken, Task>, Action<Exception>> _runAndWait;
        private readonly HashSet<Guid> _unlisted = new HashSet<Guid>();
        private readonly ReRunNote _note;

        /// <param name="cmdlet">The Send-CodatFile call (pipeline thread only).</param>
        /// <param name="lists">The call's start lists.</param>
        /// <param name="filter">The call's re-run rule.</param>
        /// <param name="whatIf">True under -WhatIf: skipped files get a "What if" line.</param>
        /// <param name="runAndWait">Runs a job on the call's workers and writes what they post until it is done.</param>
        public ReRunBeforeAsking(PSCmdlet cmdlet, CompanyStartLists lists, ReRunFilter filter, bool whatIf,
            Action<Func<CancellationToken, Task>, Action<Exception>> runAndWait)
        {
            _cmdlet = cmdlet;
            _lists = lists;
            _filter = filter;
            _whatIf = whatIf;
            _runAndWait = runAndWait;
            _note = new ReRunNote(text => VerboseOutput.Write(cmdlet, text), cmdlet.WriteWarning);
        }

        /// <summary>
        /// True when <paramref name="file"/> is to be offered for upload (ShouldProcess); false when it is already
        /// stored. When the company cannot be listed, every file is offered: under -Confirm the batch then fails with
        /// the list's error, as without -Confirm; under -WhatIf one warning says the preview cannot tell.
        /// </summary>
        public bool Offer(Guid companyId, FileInfo file)
        {
            if (!(ListOf(companyId) is CompanyStartList list)) return true;
            if (_filter.ShouldSend(companyId, file, list.Index, _note)) return true;
            if (_whatIf && list.Index.Find(file.Name) is StoredName stored)
            {
                // Under -WhatIf, ShouldProcess only writes "What if: <text>" and returns false.
                var text = $"Skipping '{file.FullName}': company {companyId} already stores '{stored.Name}' (not sent again; -Force would).";
                _cmdlet.ShouldProcess(text, text, "Send-CodatFile");
            }
            return false;
        }

        private CompanyStartList? ListOf(Guid companyId)
        {
            if (_lists.Taken(companyId) is CompanyStartList taken) return taken;
            Exception? failure = null;
            _runAndWait(token => _lists.ForCompanyAsync(companyId, token), exception => failure = exception);
            if (_lists.Taken(companyId) is CompanyStartList listed) return listed;
            if (_whatIf && _unlisted.Add(companyId))
            {
                _cmdlet.WriteWarning($"Company {companyId} could not be listed ({failure?.Message ?? "stopped"}): this preview cannot tell " +
                    "which of its files Codat already holds, so it shows each of them as an upload.");
            }
            return null;
        }
    }
}
