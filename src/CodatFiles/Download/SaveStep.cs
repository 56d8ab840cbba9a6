using System;
using System.Management.Automation;

namespace CodatFiles.Download
{
    /// <summary>
    /// One thing an input record makes Save-CodatFiles do, for the cmdlet to confirm (ShouldProcess) before it is
    /// taken into the plan, or an error to write instead.
    /// </summary>
    internal sealed class SaveStep
    {
        private readonly Func<string?>? _accept;

        private SaveStep(string? target, string? action, Func<string?>? accept, ErrorRecord? error, int fileCount = 0)
        {
            FileCount = fileCount;
            Target = target;
            Action = action;
            _accept = accept;
            Error = error;
        }

        /// <summary>The path ShouldProcess names.</summary>
        public string? Target { get; }

        /// <summary>What ShouldProcess says will be done.</summary>
        public string? Action { get; }

        /// <summary>Set when the record cannot be planned; then there is nothing to confirm.</summary>
        public ErrorRecord? Error { get; }

        /// <summary>Files the step stands for when that is known before the download (one piped file), else 0.</summary>
        public int FileCount { get; }

        public static SaveStep ToConfirm(string target, string action, Func<string?> accept, int fileCount = 0) =>
            new SaveStep(target, action, accept, null, fileCount);

        public static SaveStep Failed(ErrorRecord error) => new SaveStep(null, null, null, error);

        /// <summary>Nothing to confirm or do, only a note for -Verbose (e.g. every file is saved already).</summary>
        public static SaveStep Note(string note) => new SaveStep(null, null, () => note, null);

        /// <summary>True for a step with nothing to confirm (<see cref="Note"/>).</summary>
        public bool IsNote => Target == null && Error == null;

        /// <summary>Takes the confirmed step into the plan; returns a note for -Verbose, or null.</summary>
        public string? Accept() => _accept?.Invoke();
    }
}
