namespace CodatFiles.Pipeline
{
    /// <summary>
    /// What a transfer's bar shows once its bytes have moved and work on them follows on the same item, such as
    /// extracting a downloaded archive: a status line and its own percentage (-1 when unknown).
    /// </summary>
    internal sealed class TransferStage
    {
        public TransferStage(string status, int percentComplete)
        {
            Status = status;
            PercentComplete = percentComplete;
        }

        public string Status { get; }

        public int PercentComplete { get; }
    }
}
