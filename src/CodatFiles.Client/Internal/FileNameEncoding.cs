using System.Text;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Encodes a file name for a multipart Content-Disposition so no name can break the request or inject headers.
    /// Two parameters are sent: <c>filename="..."</c>, an ASCII-only fallback for old parsers, and
    /// <c>filename*=UTF-8''...</c> (RFC 5987/6266), percent-encoded, which carries the exact name and which
    /// modern parsers (ASP.NET Core included) prefer.
    /// </summary>
    internal static class FileNameEncoding
    {
        /// <summary>Both parameters, ready to follow <c>form-data; name="file"; </c>.</summary>
        public static string DispositionParameters(string fileName) =>
            $"filename=\"{AsciiFallback(fileName)}\"; filename*=UTF-8''{Rfc5987Encode(fileName)}";

        /// <summary>
        /// The quoted-string fallback: CR and LF are removed (a line break there would end the header), every
        /// other control or non-ASCII character becomes '_' (a surrogate pair becomes one '_'), and '"' and
        /// '\' are backslash-escaped as quoted-string requires. Lossy on purpose: the exact name travels in filename*.
        /// </summary>
        public static string AsciiFallback(string fileName)
        {
            var result = new StringBuilder(fileName.Length);
            for (var i = 0; i < fileName.Length; i++)
            {
                var c = fileName[i];
                if (c == '\r' || c == '\n') continue;
                if (c == '"' || c == '\\')
                {
                    result.Append('\\').Append(c);
                }
                else if (c < 0x20 || c > 0x7E)
                {
                    if (char.IsHighSurrogate(c) && i + 1 < fileName.Length && char.IsLowSurrogate(fileName[i + 1])) i++;
                    result.Append('_');
                }
                else
                {
                    result.Append(c);
                }
            }

            return result.ToString();
        }

        /// <summary>RFC 5987 ext-value body: UTF-8 bytes, attr-chars kept, everything else as %XX.</summary>
        public static string Rfc5987Encode(string fileName)
        {
            var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(fileName);
            var result = new StringBuilder(bytes.Length * 3);
            foreach (var b in bytes)
            {
                if (IsAttrChar(b)) result.Append((char)b);
                else result.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 0xF]);
            }

            return result.ToString();
        }

        // attr-char = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
        private static bool IsAttrChar(byte b) =>
            (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
            b == '!' || b == '#' || b == '$' || b == '&' || b == '+' || b == '-' || b == '.' ||
            b == '^' || b == '_' || b == '`' || b == '|' || b == '~';
    }
}
