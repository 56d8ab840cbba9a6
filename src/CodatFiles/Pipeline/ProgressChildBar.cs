namespace CodatFiles.Pipeline
{
    /// <summary>One of <see cref="TransferProgressReporter"/>'s transfer bars: its activity id, and the transfer it shows.</summary>
    internal sealed class ProgressChildBar
    {
        public ProgressChildBar(int activityId)
        {
            ActivityId = activityId;
        }

        public int ActivityId { get; }

        /// <summary>The transfer it shows: a running one, or one that ended until a write showed how; null when free.</summary>
        public TransferHandle? Transfer { get; set; }

        /// <summary>A Processing record was written and no Completed record yet.</summary>
        public bool Open { get; set; }
    }
}
