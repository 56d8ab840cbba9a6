using System;
using System.Collections.Generic;
using System.Management.Automation;
using CodatFiles.Pipeline;
using CodatFiles.Completion;

namespace CodatFiles.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the files uploaded to a company in Codat.</para>
    /// <para type="description">Filters by name (wildcards) and upload time are applied after the list is read.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CodatFileList")]
    [OutputType(typeof(CodatFileInfo))]
    public sealed class GetCodatFileListCommand : CodatApiCmdletBase
    {
        private CompanyFileLister? _lister;
        private List<WildcardPattern>? _namePatterns;

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

        /// <summary>Prepares the name filters and the worker that lists.</summary>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _lister = new CompanyFileLister(this);
            if (Name != null)
            {
                _namePatterns = new List<WildcardPattern>(Name.Length);
                foreach (var name in Name) _namePatterns.Add(new WildcardPattern(name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant));
            }
        }

        /// <summary>Lists one company's files.</summary>
        protected override void ProcessRecord()
        {
            var since = IsBound(nameof(Since)) ? CodatTimes.WindowBoundInUtc(Since) : (DateTime?)null;
            var until = IsBound(nameof(Until)) ? CodatTimes.WindowBoundInUtc(Until) : (DateTime?)null;
            var history = SessionIdHistory.ForCurrentRunspace();
            history.RecordCompany(CompanyId);
            var files = _lister!.List(CompanyId);
            if (files == null) return;

            var written = 0;
            foreach (var file in files)
            {
                var info = CodatFileInfo.FromClient(file, CompanyId);
                history.RecordSourceType(info.SourceType);
                if (!Matches(info, since, until)) continue;
                WriteObject(info);
                written++;
            }
            VerboseOutput.Write(this, $"List files of company {CompanyId}: {files.Count} in Codat, {written} written after filtering.");
        }

        private bool Matches(CodatFileInfo file, DateTime? since, DateTime? until)
        {
            if (_namePatterns != null)
            {
                var matched = false;
                foreach (var pattern in _namePatterns)
                {
                    if ((file.FileName != null && pattern.IsMatch(file.FileName)) ||
                        (file.DisplayName != null && pattern.IsMatch(file.DisplayName)))
                    {
                        matched = true;
                        break;
                    }
                }
                if (!matched) return false;
            }

            if (since != null || until != null)
            {
                // A file without a readable upload time cannot be shown to fall inside a time window.
                if (file.Uploaded is not DateTime uploaded) return false;
                if (since != null && uploaded < since.Value) return false;
                if (until != null && uploaded > until.Value) return false;
            }
            return true;
        }
    }
}
