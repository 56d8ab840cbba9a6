using System;
using System.Text.RegularExpressions;

namespace CodatFiles.Connection
{
    /// <summary>
    /// A URL as the module shows it in messages, verbose lines and error targets: never with its user info
    /// (user:password@), which may hold a password.
    /// </summary>
    internal static class UrlText
    {
        private static readonly Regex s_userInfo = new Regex(
            @"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)[^\s/?#\\""'<>]*@", RegexOptions.CultureInvariant);

        public static string Of(Uri url) =>
            url.IsAbsoluteUri
                ? url.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped)
                : Of(url.OriginalString);

        /// <summary>Text that may hold a URL someone typed (an environment variable, a relative -Proxy).</summary>
        public static string Of(string text) => text.IndexOf('@') < 0 ? text : s_userInfo.Replace(text, "${scheme}");
    }
}
