using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;

namespace CodatFiles.Pipeline
{
    /// <summary>
    /// The one hand-off from worker tasks to the pipeline thread. PowerShell allows Write* calls only on the
    /// pipeline thread, so workers post here (any thread, never blocks, never throws) and the pipeline thread
    /// drains it: output, errors, verbose and warnings are written in the order they were posted, and callbacks
    /// (work that must run on the pipeline thread, such as writing extracted files) are run there.
    /// </summary>
    internal sealed class PipelineMessageQueue : IDisposable
    {
        private readonly ConcurrentQueue<Message> _messages = new ConcurrentQueue<Message>();
        private readonly ManualResetEventSlim _signal = new ManualResetEventSlim(false);

        public void WriteObject(object value) => Post(new Message(MessageKind.Output, value));

        public void WriteError(ErrorRecord error) => Post(new Message(MessageKind.Error, error));

        public void WriteVerbose(string text) => Post(new Message(MessageKind.Verbose, text));

        public void WriteWarning(string text) => Post(new Message(MessageKind.Warning, text));

        /// <summary>Runs <paramref name="callback"/> on the pipeline thread at the next drain.</summary>
        public void Invoke(Action callback) => Post(new Message(MessageKind.Callback, callback));

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
        public void Drain(Cmdlet cmdlet)
        {
            while (_messages.TryDequeue(out var message))
            {
                switch (message.Kind)
                {
                    case MessageKind.Output: cmdlet.WriteObject(message.Payload); break;
                    case MessageKind.Error: cmdlet.WriteError((ErrorRecord)message.Payload); break;
                    case MessageKind.Verbose: cmdlet.WriteVerbose((string)message.Payload); break;
                    case MessageKind.Warning: cmdlet.WriteWarning((string)message.Payload); break;
                    case MessageKind.Callback: ((Action)message.Payload)(); break;
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

        private void Post(Message message)
        {
            _messages.Enqueue(message);
            Signal();
        }

        private enum MessageKind
        {
            Output,
            Error,
            Verbose,
            Warning,
            Callback,
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
