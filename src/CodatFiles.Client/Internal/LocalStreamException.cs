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
