using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using CodatFiles.Errors;
using CodatFiles.Pipeline;

namespace CodatFiles.Upload
{
    /// <summary>
    /// Before a batch is sent: its company's start list (<see cref="CompanyStartLists"/>), taken for every company
    /// of the call, and the files the re-run rule keeps (<see cref="ReRunFilter"/>), unless the files were already
    /// decided on the pipeline thread (under -WhatIf or -Confirm, before the user is asked).
    /// </summary>
    internal sealed class StartListCheck
    {
        private readonly CompanyStartLists _lists;
        private readonly PipelineMessageQueue _messages;
        private readonly ReRunFilter? _filter;
        private readonly ReRunNote _note;

        /// <param name="lists">The call's start lists.</param>
        /// <param name="messages">Where errors and notes go.</param>
        /// <param name="filter">The re-run rule to apply here; null when the pipeline thread applied it already.</param>
        public StartListCheck(CompanyStartLists lists, PipelineMessageQueue messages, ReRunFilter? filter)
        {
            _lists = lists;
            _messages = messages;
            _filter = filter;
            _note = ReRunNote.To(messages);
        }

        /// <summary>
        /// The batch's files to send and its company's start list; null when the list failed (then one error covers
        /// the company's files, written by the first batch that finds out).
        /// </summary>
        public async Task<(IReadOnlyList<FileInfo> Kept, CompanyStartList List)?> CheckAsync(UploadBatch batch, WholeCallStops stops, CancellationToken cancellationToken)
        {
            CompanyStartList list;
            try
            {
                list = await _lists.ForCompanyAsync(batch.CompanyId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // A refused key, an unknown company, an unreachable server or a spent quota stops the call or the
                // company: its one error, written at the end of the call, covers these files too.
                if (stops.Record(exception, batch.CompanyId, batch.ConnectionId, out var isNew) is { } stop)
                {
                    stop.Add(batch.Files);
                    if (isNew) _messages.WriteVerbose(stop.Describe(batch.Describe()));
                }
                else if (_lists.FilesForFailure(batch) is IReadOnlyList<FileInfo> covered)
                {
                    long bytes = 0;
                    foreach (var file in covered) bytes += file.Length;
                    _messages.WriteError(ErrorRecordFactory.FromException(exception, covered,
                        $"Listing the files company {batch.CompanyId} has before sending its {Counted.Files(covered.Count)} (none of them was sent)"),
                        covered.Count, bytes);
                }
                return null;
            }

            if (_filter is null) return (batch.Files, list);
            var kept = new List<FileInfo>(batch.Files.Count);
            foreach (var file in batch.Files)
            {
                if (_filter.ShouldSend(batch.CompanyId, file, list.Index, _note)) kept.Add(file);
            }

            return (kept, list);
        }
    }
}
