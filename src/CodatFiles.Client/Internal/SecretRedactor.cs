using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Scrubs the API key from text the client is about to surface. The client never writes the key into text
    /// itself; this guards against a server or proxy echoing it (raw, as base64, or as the whole
    /// <c>Basic &lt;base64&gt;</c> header value) into an error body, a reason phrase or a header that we quote.
    /// </summary>
    internal sealed class SecretRedactor
    {
        /// <summary>
        /// Shortest key form scrubbed from free text: a key of one or two characters would match inside
        /// ordinary words and mangle every message, while a server echoing such a key reveals little.
        /// </summary>
        public const int MinFreeTextLength = 8;

        private const string Mask = "***";
        private readonly Regex? _freeText;
        private readonly Regex? _wholeValue;

        public SecretRedactor(string apiKey)
        {
            if (string.IsNullOrEmpty(apiKey)) return;

            var encoded = BasicAuthHeader.EncodeKey(apiKey);
            var forms = new[] { apiKey, encoded };

            // The header value is always distinctive ("Basic " plus at least 4 characters), so it is scrubbed
            // whatever the key's length; the scheme is matched in any case, as HTTP treats it.
            var freeText = new List<string> { @"(?i:basic)\s+" + Regex.Escape(encoded) };
            freeText.AddRange(forms.Where(f => f.Length >= MinFreeTextLength).Select(Regex.Escape));
            _freeText = Build(freeText);

            // A short form is still masked where it stands alone: a header value of our own quoting must never
            // echo the key verbatim, and a standalone token cannot be part of an ordinary word.
            _wholeValue = Build(forms.Select(f => @"(?<![\w+/=])" + Regex.Escape(f) + @"(?![\w+/=])"));
        }

        /// <summary>Scrubs free text (an error body, an exception message): every form of 8+ characters.</summary>
        public string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text) || _freeText is null) return text ?? string.Empty;
            return _freeText.Replace(text, Mask);
        }

        /// <summary>
        /// Scrubs a short header-derived value (a reason phrase, X-Rate-Limit-Reset, Content-Type): free-text
        /// rules, plus any form of the key that stands as a token of its own, however short.
        /// </summary>
        public string? RedactHeaderValue(string? value)
        {
            if (string.IsNullOrEmpty(value) || _wholeValue is null) return value;
            return _wholeValue.Replace(Redact(value), Mask);
        }

        /// <summary>One alternation, longest pattern first, so a key inside its own base64 cannot leave a tail.</summary>
        private static Regex Build(IEnumerable<string> patterns) =>
            new Regex(string.Join("|", patterns.Distinct().OrderByDescending(p => p.Length)), RegexOptions.CultureInvariant);
    }
}
