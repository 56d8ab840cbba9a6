using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using CodatFiles.Client;

namespace CodatFiles.Pipeline
{
    /// <summary>
    /// Progress of a cmdlet's transfers: one overall bar (items and bytes done of planned, failures) and one child
    /// bar per running transfer, at most <c>maxProgressChildBars</c>, whose activity ids are reused. Workers only update
    /// counters; the pipeline thread writes records, at most every 250 ms, and <see cref="Complete"/> closes every
    /// activity id that was opened. A transfer's bar outlives the transfer by one update, which shows how it ended
    /// (otherwise its last update is whatever it was when the 250 ms came round, often "0 B" for a download that
    /// waited for the server). When progress is not wanted ($ProgressPreference = SilentlyContinue) nothing is written.
    /// </summary>
    internal sealed class TransferProgressReporter
    {
        private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(250);

        // Scripts number their own Write-Progress bars from 0 or 1 upwards. Ids drawn at random from far above
        // that range keep this reporter from updating or closing a script's bar (or another reporter's, say in a
        // nested call), which fixed small ids would do.
        private const int LowestActivityId = 1 << 24;
        private static readonly Random ActivityIdRandom = new Random();

        private readonly int _overallActivityId;

        private readonly object _gate = new object();
        private readonly string _activity;
        private readonly string _unit;
        private readonly bool _enabled;
        private readonly ProgressChildBar[] _childBars;
        private readonly TransferTally? _tally;
        private readonly List<TransferHandle> _running = new List<TransferHandle>();
        private readonly Stopwatch _sinceLastWrite = new Stopwatch();
        private int _itemsPlanned;
        private int _itemsDone;
        private int _itemsFailed;
        private long _bytesPlanned;
        private long _bytesDone;
        private bool _overallOpen;

        /// <param name="activity">The overall bar's activity, e.g. "Uploading files to Codat".</param>
        /// <param name="unit">The plural of what is counted: "files", "archives".</param>
        /// <param name="maxProgressChildBars">How many transfer bars at most (the worker pool's concurrency).</param>
        /// <param name="enabled">False when progress is not shown at all.</param>
        /// <param name="tally">The call's counts whose skipped files, requests and retries the overall bar shows too.</param>
        public TransferProgressReporter(string activity, string unit, int maxProgressChildBars, bool enabled, TransferTally? tally = null)
        {
            _tally = tally;
            _activity = activity;
            _unit = unit;
            _enabled = enabled;
            _overallActivityId = NewActivityIdBase(maxProgressChildBars);
            _childBars = new ProgressChildBar[maxProgressChildBars];
            for (var i = 0; i < maxProgressChildBars; i++) _childBars[i] = new ProgressChildBar(_overallActivityId + 1 + i);
        }

        /// <summary>A random id with room for <paramref name="childCount"/> consecutive ids after it.</summary>
        private static int NewActivityIdBase(int childCount)
        {
            lock (ActivityIdRandom)
            {
                return ActivityIdRandom.Next(LowestActivityId, int.MaxValue - childCount);
            }
        }

        /// <summary>Items that will be transferred (as they become known); <paramref name="bytes"/> may be 0 when unknown.</summary>
        public void AddPlanned(int items, long bytes)
        {
            lock (_gate)
            {
                _itemsPlanned += items;
                _bytesPlanned += bytes;
            }
        }

        /// <summary>Items that failed before any transfer (refused by a check): planned, done and failed at once.</summary>
        public void AddFailedBeforeTransfer(int items)
        {
            lock (_gate)
            {
                _itemsPlanned += items;
                _itemsDone += items;
                _itemsFailed += items;
            }
        }

        /// <summary>A transfer starts (worker thread). Report its bytes through the handle; end it with <see cref="EndTransfer"/>.</summary>
        public TransferHandle BeginTransfer(string description, long? totalBytes)
        {
            lock (_gate)
            {
                var handle = new TransferHandle(description, totalBytes);
                var bar = FreeBar();
                if (bar != null) bar.Transfer = handle;
                _running.Add(handle);
                return handle;
            }
        }

        /// <summary>
        /// An unused bar, else one still showing an ended transfer (rather than leave the new one without a bar),
        /// else null. Under the lock.
        /// </summary>
        private ProgressChildBar? FreeBar()
        {
            foreach (var bar in _childBars)
            {
                if (bar.Transfer == null) return bar;
            }
            foreach (var bar in _childBars)
            {
                if (bar.Transfer!.Ended) return bar;
            }
            return null;
        }

        /// <summary>A transfer ended (worker thread): its items succeeded or failed, and its bytes count as done.</summary>
        public void EndTransfer(TransferHandle handle, int itemsSucceeded, int itemsFailed, long bytesDone)
        {
            lock (_gate)
            {
                if (!_running.Remove(handle)) return;
                // Its bar, if it has one, is freed by the next write, after showing how it ended.
                handle.Ended = true;
                _itemsDone += itemsSucceeded + itemsFailed;
                _itemsFailed += itemsFailed;
                _bytesDone += bytesDone;
            }
        }

        /// <summary>
        /// How long the pipeline thread may wait before the next write is due: the rest of the 250 ms since the last
        /// write, rounded up to whole milliseconds (waits are timed in those, and a wake even slightly early would
        /// find the write not yet due). Before the first write it is due once something is planned; 250 ms while
        /// nothing is, or when progress is off.
        /// </summary>
        public TimeSpan TimeUntilWriteDue
        {
            get
            {
                if (!_enabled) return MinimumInterval;
                if (!_sinceLastWrite.IsRunning)
                {
                    lock (_gate) return _itemsPlanned > 0 ? TimeSpan.Zero : MinimumInterval;
                }
                var remaining = MinimumInterval - _sinceLastWrite.Elapsed;
                return remaining <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds));
            }
        }

        /// <summary>True while a bar still shows a transfer that ended without an update showing how.</summary>
        public bool HasUnshownEnding
        {
            get
            {
                if (!_enabled) return false;
                lock (_gate)
                {
                    foreach (var bar in _childBars)
                    {
                        if (bar.Transfer?.Ended == true) return true;
                    }
                    return false;
                }
            }
        }

        /// <summary>Writes the bars if 250 ms passed since the last write (pipeline thread).</summary>
        public void WriteIfDue(Cmdlet cmdlet)
        {
            if (!_enabled) return;
            if (_sinceLastWrite.IsRunning && _sinceLastWrite.Elapsed < MinimumInterval) return;

            var records = new List<ProgressRecord>();
            lock (_gate)
            {
                if (_itemsPlanned == 0) return;

                long inFlight = 0;
                foreach (var transfer in _running) inFlight += transfer.BytesTransferred;
                records.Add(CreateOverallRecord(inFlight));
                _overallOpen = true;

                foreach (var bar in _childBars)
                {
                    if (bar.Transfer != null)
                    {
                        records.Add(CreateChildRecord(bar.ActivityId, bar.Transfer));
                        bar.Open = true;
                        if (bar.Transfer.Ended) bar.Transfer = null; // shown how it ended; the next write closes the bar
                    }
                    else if (bar.Open)
                    {
                        records.Add(Completed(bar.ActivityId, "Done", _overallActivityId, "Transfer"));
                        bar.Open = false;
                    }
                }
            }

            foreach (var record in records) cmdlet.WriteProgress(record);
            _sinceLastWrite.Restart();
        }

        /// <summary>Closes every bar that was opened (pipeline thread), also after failures; nothing is written once the pipeline stopped.</summary>
        public void Complete(Cmdlet cmdlet)
        {
            if (!_enabled) return;
            var records = new List<ProgressRecord>();
            lock (_gate)
            {
                foreach (var bar in _childBars)
                {
                    bar.Transfer = null;
                    if (!bar.Open) continue;
                    records.Add(Completed(bar.ActivityId, "Done", _overallActivityId, "Transfer"));
                    bar.Open = false;
                }
                if (_overallOpen)
                {
                    records.Add(Completed(_overallActivityId, OverallStatus(0), -1, _activity));
                    _overallOpen = false;
                }
            }

            try
            {
                foreach (var record in records) cmdlet.WriteProgress(record);
            }
            catch (PipelineStoppedException)
            {
                // Stopped (Ctrl+C): the host clears its bars itself and refuses further writes.
            }
        }

        private ProgressRecord CreateOverallRecord(long inFlightBytes)
        {
            var record = new ProgressRecord(_overallActivityId, _activity, OverallStatus(inFlightBytes));
            var bytesDone = _bytesDone + inFlightBytes;
            record.PercentComplete = _bytesPlanned > 0
                ? Percent(bytesDone, _bytesPlanned)
                : Percent(_itemsDone, _itemsPlanned);
            return record;
        }

        private string OverallStatus(long inFlightBytes) => ProgressStatusLine.Overall(
            ProgressStatusLine.StatusWidth(_activity), _unit, _itemsDone, _itemsPlanned, _itemsFailed, _tally?.FilesLeftAlone ?? 0,
            _bytesDone + inFlightBytes, _bytesPlanned, _tally?.DescribeRequests());

        private ProgressRecord CreateChildRecord(int activityId, TransferHandle transfer)
        {
            if (transfer.Stage is { } stage)
            {
                return new ProgressRecord(activityId, transfer.Description, stage.Status)
                {
                    ParentActivityId = _overallActivityId,
                    PercentComplete = stage.PercentComplete,
                };
            }

            var bytes = transfer.BytesTransferred;
            var total = transfer.TotalBytes;
            var status = total is long known && known > 0
                ? string.Format(CultureInfo.CurrentCulture, "{0} of {1}", ByteSize.Format(Math.Min(bytes, known)), ByteSize.Format(known))
                : ByteSize.Format(bytes);
            if (transfer.Attempt > 1) status += string.Format(CultureInfo.CurrentCulture, " (attempt {0})", transfer.Attempt);
            return new ProgressRecord(activityId, transfer.Description, status)
            {
                ParentActivityId = _overallActivityId,
                PercentComplete = total is long t && t > 0 ? Percent(bytes, t) : -1,
            };
        }

        private static ProgressRecord Completed(int activityId, string status, int parentId, string activity) =>
            new ProgressRecord(activityId, activity, status)
            {
                ParentActivityId = parentId,
                RecordType = ProgressRecordType.Completed,
            };

        private static int Percent(long done, long total) =>
            total <= 0 ? -1 : (int)Math.Max(0, Math.Min(100, done * 100 / total));
    }
}
