// The progress recorder of tools/bench/ProgressCheck.ps1, compiled there with Add-Type: each record is stamped when it
// is added, on the writer's thread, so the intervals measured are those the cmdlet wrote.
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;

namespace CodatFilesBench
{
    public sealed class ProgressArrival
    {
        public double AtMs { get; set; }
        public int ActivityId { get; set; }
        public int ParentActivityId { get; set; }
        public string RecordType { get; set; }
        public string Activity { get; set; }
        public string Status { get; set; }
        public int PercentComplete { get; set; }
    }

    /// <summary>Stamps each progress record with a Stopwatch time on the thread that adds it (the writer's).</summary>
    public sealed class ProgressArrivalRecorder
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<ProgressArrival> _arrivals = new List<ProgressArrival>();

        public ProgressArrivalRecorder(PSDataCollection<ProgressRecord> stream)
        {
            stream.DataAdded += OnDataAdded;
        }

        public double NowMs { get { return _clock.Elapsed.TotalMilliseconds; } }

        private void OnDataAdded(object sender, DataAddedEventArgs e)
        {
            var at = _clock.Elapsed.TotalMilliseconds;
            var record = ((PSDataCollection<ProgressRecord>)sender)[e.Index];
            var arrival = new ProgressArrival
            {
                AtMs = at,
                ActivityId = record.ActivityId,
                ParentActivityId = record.ParentActivityId,
                RecordType = record.RecordType.ToString(),
                Activity = record.Activity,
                Status = record.StatusDescription,
                PercentComplete = record.PercentComplete,
            };
            lock (_arrivals) _arrivals.Add(arrival);
        }

        public ProgressArrival[] GetArrivals()
        {
            lock (_arrivals) return _arrivals.ToArray();
        }
    }
}
