using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// The first bytes of an answer's body: for the checks that look at how it starts (HTML, a zip signature), and
    /// for an error body, read up to a bound.
    /// </summary>
    internal static class StreamHead
    {
        /// <summary>Reads until <paramref name="head"/> is full or the body ends; returns how many bytes it holds.</summary>
        public static async Task<int> ReadAsync(Stream body, byte[] head, CancellationToken cancellationToken)
        {
            var filled = 0;
            int read;
            while (filled < head.Length && (read = await body.ReadAsync(head, filled, head.Length - filled, cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += read;
            }

            return filled;
        }
    }
}
