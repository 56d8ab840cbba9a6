using System;
using System.Net.Http.Headers;
using System.Text;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Codat's auth: <c>Authorization: Basic base64(key)</c>, where the key is the raw key from the Portal
    /// (encoded as UTF-8 before base64, as Codat's docs describe).
    /// </summary>
    internal static class BasicAuthHeader
    {
        public static string EncodeKey(string apiKey) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(apiKey ?? string.Empty));

        public static AuthenticationHeaderValue Create(string apiKey) =>
            new AuthenticationHeaderValue("Basic", EncodeKey(apiKey));
    }
}
