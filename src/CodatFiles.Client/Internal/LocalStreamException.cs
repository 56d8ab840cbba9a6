using System;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Marks a failure of a local stream (an upload source that cannot be opened or read, a download destination
    /// that cannot be written). HttpClient wraps content errors in HttpRequestException, which would otherwise
    /// look like a network failure and be retried; this marker lets the client stop and rethrow the local error.
    /// </summary>
    internal sealed class LocalStreamException : Exception
    {
        public LocalStreamException(Exception inner)
            : base(inner.Message, inner)
        {
        }

        private LocalStreamException(Exception inner, UploadFile source, bool changed)
            : base(inner.Message, inner)
        {
            FailedFile = source;
            SourceChanged = changed;
        }

        /// <summary>The upload file whose source failed, when the failure was one file's.</summary>
        public UploadFile? FailedFile { get; }

        /// <summary>True when <see cref="FailedFile"/> changed while it was sent, rather than failing to open or read.</summary>
        public bool SourceChanged { get; }

        /// <summary>Attempts the call had made when it stopped on this failure (set by the call runner).</summary>
        public int Attempts { get; set; }

        /// <summary>The same failure, blamed on <paramref name="file"/>.</summary>
        public static LocalStreamException OfSource(UploadFile file, Exception inner, bool changed) =>
            new LocalStreamException(inner is LocalStreamException local ? local.InnerException ?? local : inner, file, changed);

        /// <summary>The marker anywhere in an exception's inner chain, or null.</summary>
        public static LocalStreamException? Find(Exception? exception)
        {
            for (var current = exception; current != null; current = current.InnerException)
            {
                if (current is LocalStreamException local) return local;
            }

            return null;
        }
    }
}
