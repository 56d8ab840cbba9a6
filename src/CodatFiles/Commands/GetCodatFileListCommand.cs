using System;
using System.Management.Automation;
using CodatFiles.Completion;
using CodatFiles.Pipeline;

namespace CodatFiles.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the files uploaded to a company in Codat.</para>
    /// <para type="description">Entries are written as the list arrives, and filters by name (wildcards) and upload time
    /// are applied to each as it is read, so a list of any size takes the same memory.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CodatFileList")]
    [OutputType(typeof(CodatFileInfo))]
    public sealed class GetCodatFileListCommand : CodatApiCmdletBase
    {
        private CompanyFileStreamer? _streamer;

        /// <summary>
        /// The company whose files to list. Binds from piped objects with a CompanyId property. Tab completion offers
        /// the company ids used in this session.
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CompanyIdCompleter))]
        public Guid CompanyId { get; set; }

        /// <summary>Only files whose name matches one of these (wildcards, case-insensitive).</summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Only files uploaded at or after this time. A time without zone is local time, as Get-Date gives.</summary>
        [Parameter]
        public DateTime Since { get; set; }

        /// <summary>Only files uploaded at or before this time. A time without zone is local time, as Get-Date gives.</summary>
        [Parameter]
        public DateTime Until { get; set; }

        /// <summary>Prepares the worker that lists.</summary>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _streamer = new CompanyFileStreamer(this);
        }

        /// <summary>Lists one company's files, writing each match as it arrives.</summary>
        protected override void ProcessRecord()
        {
            var since = IsBound(nameof(Since)) ? CodatTimes.WindowBoundInUtc(Since) : (DateTime?)null;
            var until = IsBound(nameof(Until)) ? CodatTimes.WindowBoundInUtc(Until) : (DateTime?)null;
            var history = SessionIdHistory.ForCurrentRunspace();
            history.RecordCompany(CompanyId);

            var listed = _streamer!.Stream(CompanyId, new FileListFilter(Name, since, until));
            foreach (var sourceType in listed.SourceTypes) history.RecordSourceType(sourceType);
            VerboseOutput.Write(this, $"List files of company {CompanyId}: {listed.Entries} read from Codat, {listed.Written} written after filtering.");
        }
    }
}
