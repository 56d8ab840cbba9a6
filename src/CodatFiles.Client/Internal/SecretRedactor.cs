using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Scrubs secrets from text the client is about to surface: the API key, and the user info (user:password@) of
    /// any URL quoted in it. The client never writes the key into text itself; this guards against a server or proxy
    /// echoing it into an error body, a reason phrase or a header that we quote (a redirect's Location, say). The key
    /// is matched in every shape a server may echo it in: raw, base64 and base64url (with or without <c>=</c>
    /// padding), the whole <c>Basic &lt;base64&gt;</c> header value, and any of these percent-encoded, wholly or in
    /// part, with hex digits in either case.
    /// </summary>
    internal sealed class SecretRedactor
    {
        /// <summary>
        /// Shortest key form scrubbed from free text: a key of one or two characters would match inside
        /// ordinary words and mangle every message, while a server echoing such a key reveals little.
        /// </summary>
        public const int MinFreeTextLength = 8;

        private const string Mask = "***";

        /// <summary>"scheme://user:password@": the user info of an absolute URL, up to its last '@' before the path (a raw '@' in a password too).</summary>
        private static readonly Regex s_userInfo = new Regex(
            @"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)[^\s/?#\\""'<>]*@", RegexOptions.CultureInvariant);

        private readonly Regex? _freeText;
        private readonly Regex? _wholeValue;

        public SecretRedactor(string apiKey)
        {
            if (string.IsNullOrEmpty(apiKey)) return;

            var base64 = BasicAuthHeader.EncodeKey(apiKey);
            var base64Url = base64.Replace('+', '-').Replace('/', '_');
            var forms = new[] { Encoded(apiKey), Encoded(base64.TrimEnd('=')) + Padding, Encoded(base64Url.TrimEnd('=')) + Padding };

            // The header value is always distinctive ("Basic " plus at least 4 characters), so it is scrubbed
            // whatever the key's length; the scheme is matched in any case, as HTTP treats it.
            var freeText = new List<string> { @"(?i:basic)(?:\s|%20|\+)+" + forms[1] };
            if (apiKey.Length >= MinFreeTextLength) freeText.Add(forms[0]);
            if (base64.Length >= MinFreeTextLength) freeText.AddRange(forms.Skip(1));
            _freeText = Build(freeText);

            // A short form is still masked where it stands alone: a header value of our own quoting must never
            // echo the key verbatim, and a standalone token cannot be part of an ordinary word.
            _wholeValue = Build(forms.Select(f => @"(?<![\w+/=])" + f + @"(?![\w+/=])"));
        }

        /// <summary>Base64 padding as it may be echoed: none, or one or two '=' (raw or as %3D).</summary>
        private static string Padding => "(?:=|%3[Dd]){0,2}";

        /// <summary>Scrubs free text (an error body, an exception message): every key form of 8+ characters, and URL user info.</summary>
        public string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
            var withoutUserInfo = WithoutUserInfo(text!);
            return _freeText is null ? withoutUserInfo : _freeText.Replace(withoutUserInfo, Mask);
        }

        /// <summary>
        /// Scrubs a short header-derived value (a reason phrase, a Location, X-Rate-Limit-Reset): free-text rules,
        /// plus any form of the key that stands as a token of its own, however short.
        /// </summary>
        public string? RedactHeaderValue(string? value)
        {
            if (string.IsNullOrEmpty(value)) return value;
            var redacted = Redact(value);
            return _wholeValue is null ? redacted : _wholeValue.Replace(redacted, Mask);
        }

        /// <summary>Drops the user info of every absolute URL in <paramref name="text"/>: "https://u:p@host/x" becomes "https://host/x".</summary>
        public static string WithoutUserInfo(string text) =>
            text.IndexOf('@') < 0 ? text : s_userInfo.Replace(text, "${scheme}");

        /// <summary>
        /// A pattern matching <paramref name="form"/> as written or with any of its characters percent-encoded (as
        /// UTF-8 bytes, hex in either case; a space also as '+'), since servers encode differently sets of characters.
        /// </summary>
        private static string Encoded(string form)
        {
            var pattern = new StringBuilder();
            for (var i = 0; i < form.Length; i++)
            {
                var length = char.IsHighSurrogate(form[i]) && i + 1 < form.Length ? 2 : 1;
                var element = form.Substring(i, length);
                i += length - 1;
                pattern.Append("(?:").Append(Regex.Escape(element));
                if (element == " ") pattern.Append(@"|\+");
                pattern.Append('|');
                foreach (var b in Encoding.UTF8.GetBytes(element)) pattern.Append('%').Append(Hex(b >> 4)).Append(Hex(b & 0xF));
                pattern.Append(')');
            }

            return pattern.ToString();
        }

        private static string Hex(int digit) => digit < 10 ? ((char)('0' + digit)).ToString() : $"[{(char)('A' + digit - 10)}{(char)('a' + digit - 10)}]";

        /// <summary>One alternation, longest pattern first, so a key inside its own base64 cannot leave a tail.</summary>
        private static Regex Build(IEnumerable<string> patterns) =>
            new Regex(string.Join("|", patterns.Distinct().OrderByDescending(p => p.Length)), RegexOptions.CultureInvariant);
    }
}
