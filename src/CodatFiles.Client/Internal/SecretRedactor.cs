using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Holds the API key and the header built from it, and scrubs both from any text the client is about to
    /// show. The client never puts the key into text itself; this guards against a server or proxy echoing it
    /// back in an error body that we quote.
    /// </summary>
    internal sealed class SecretRedactor
    {
        private const string Mask = "***";
        private readonly string[] _secrets;

        public SecretRedactor(string apiKey)
        {
            _secrets = new[] { apiKey, BasicAuthHeader.EncodeKey(apiKey) }
                .Where(s => !string.IsNullOrEmpty(s))
                .Distinct(StringComparer.Ordinal)
                .OrderByDescending(s => s.Length) // longest first so a key inside its own base64 cannot leave a tail
                .ToArray();
        }

        public string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
            var result = new StringBuilder(text);
            foreach (var secret in _secrets) result.Replace(secret, Mask);
            return result.ToString();
        }
    }
}
