using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;

namespace CodatFiles.Pipeline
{
    /// <summary>
    /// The one hand-off from worker tasks to the pipeline thread. PowerShell allows Write* calls only on the
    /// pipeline thread, so workers post here (any thread, never blocks, never throws) and the pipeline thread
    /// drains it: output, saved files, errors, verbose, warnings and debug lines are written in the order they were
    /// posted. Only data is posted, never work: what a worker does, it does on the worker.
    /// </summary>
    internal sealed class PipelineMessageQueue : IDisposable
    {
        private readonly ConcurrentQueue<Message> _messages = new ConcurrentQueue<Message>();
        private readonly ManualResetEventSlim _signal = new ManualResetEventSlim(false);

        public void WriteObject(object value) => Post(new Message(MessageKind.Output, value));

        /// <summary>
        /// Output posted against <paramref name="credit"/> (taken by the worker before posting): the credit is
        /// returned once the object has been written.
        /// </summary>
        public void WriteObject(object value, OutputCredit credit) => Post(new Message(MessageKind.CreditedOutput, new CreditedOutput(value, credit)));

        /// <summary>
        /// An error that stands for <paramref name="files"/> files (and their <paramref name="bytes"/>) that did not
        /// get where they were going: a whole-call error covers every file it lists, any other error at least one.
        /// They are counted as failed when the error is written (<see cref="ErrorWritten"/>), so the summary's
        /// failed count is always that of the errors the call wrote.
        /// </summary>
        public void WriteError(ErrorRecord error, long files = 1, long bytes = 0) =>
            Post(new Message(MessageKind.Error, new PostedError(error, files, bytes)));

        /// <summary>An error about one local file (an upload source): it covers that file and its bytes.</summary>
        public void WriteFileError(ErrorRecord error, System.IO.FileInfo file) => WriteError(error, 1, file.Length);

        /// <summary>Called on the pipeline thread after each posted error was written, with the files and bytes it covers.</summary>
        public Action<ErrorRecord, long, long>? ErrorWritten { get; set; }

        public void WriteVerbose(string text) => Post(new Message(MessageKind.Verbose, text));

        public void WriteWarning(string text) => Post(new Message(MessageKind.Warning, text));

        public void WriteDebug(string text) => Post(new Message(MessageKind.Debug, text));

        /// <summary>
        /// Output of a file written to disk: at the drain it becomes the FileSystem provider's item, as Get-Item
        /// gives it (which only the pipeline thread may ask for), with the file's Codat facts added.
        /// </summary>
        public void WriteSavedFile(SavedFile file) => Post(new Message(MessageKind.SavedFile, file));

        /// <summary>Wakes a waiting pipeline thread without a message (a worker finished).</summary>
        public void Signal()
        {
            try { _signal.Set(); } catch (ObjectDisposedException) { /* the cmdlet is gone; nobody waits */ }
        }

        /// <summary>Blocks the pipeline thread until something was posted or the timeout passed.</summary>
        public void WaitForMessages(TimeSpan timeout)
        {
            _signal.Wait(timeout);
            // Reset before draining: anything posted after this point sets the signal again, so nothing is missed.
            _signal.Reset();
        }

        /// <summary>Writes every queued message through <paramref name="cmdlet"/>. Pipeline thread only.</summary>
        public void Drain(PSCmdlet cmdlet)
        {
            while (_messages.TryDequeue(out var message))
            {
                switch (message.Kind)
                {
                    case MessageKind.Output: cmdlet.WriteObject(message.Payload); break;
                    case MessageKind.CreditedOutput:
                        var credited = (CreditedOutput)message.Payload;
                        cmdlet.WriteObject(credited.Value);
                        credited.Credit.Return();
                        break;
                    case MessageKind.Error:
                        var posted = (PostedError)message.Payload;
                        cmdlet.WriteError(posted.Error);
                        ErrorWritten?.Invoke(posted.Error, posted.Files, posted.Bytes);
                        break;
                    case MessageKind.Verbose: VerboseOutput.Write(cmdlet, (string)message.Payload); break;
                    case MessageKind.Warning: cmdlet.WriteWarning((string)message.Payload); break;
                    case MessageKind.Debug: cmdlet.WriteDebug((string)message.Payload); break;
                    case MessageKind.SavedFile:
                        var saved = (SavedFile)message.Payload;
                        cmdlet.WriteObject(saved.Annotate(FileItem(cmdlet, saved.Path)));
                        break;
                }
            }
        }

        /// <summary>Forgets what is queued (used when the pipeline is stopping and nothing may be written).</summary>
        public void Discard()
        {
            while (_messages.TryDequeue(out _))
            {
            }
        }

        public void Dispose() => _signal.Dispose();

        /// <summary>
        /// The item carries PSPath/PSParentPath (it binds to -LiteralPath of the next command) and shows in the usual
        /// file view.
        /// </summary>
        private static object FileItem(PSCmdlet cmdlet, string path)
        {
            var items = cmdlet.InvokeProvider.Item.Get(new[] { path }, true, true);
            return items.Count > 0 ? items[0] : (object)new System.IO.FileInfo(path);
        }

        private void Post(Message message)
        {
            _messages.Enqueue(message);
            Signal();
        }

        private enum MessageKind
        {
            Output,
            CreditedOutput,
            Error,
            Verbose,
            Warning,
            Debug,
            SavedFile,
        }

        private sealed class CreditedOutput
        {
            public CreditedOutput(object value, OutputCredit credit)
            {
                Value = value;
                Credit = credit;
            }

            public object Value { get; }

            public OutputCredit Credit { get; }
        }

        private sealed class PostedError
        {
            public PostedError(ErrorRecord error, long files, long bytes)
            {
                Error = error;
                Files = files;
                Bytes = bytes;
            }

            public ErrorRecord Error { get; }

            public long Files { get; }

            public long Bytes { get; }
        }

        private readonly struct Message
        {
            public Message(MessageKind kind, object payload)
            {
                Kind = kind;
                Payload = payload;
            }

            public MessageKind Kind { get; }

            public object Payload { get; }
        }
    }
}
