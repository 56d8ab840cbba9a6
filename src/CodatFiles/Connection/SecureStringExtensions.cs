using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;

namespace CodatFiles.Connection
{
    /// <summary>Reads a SecureString without leaving managed copies of the secret around longer than needed.</summary>
    internal static class SecureStringExtensions
    {
        // A per-process key: the fingerprint identifies a key in the client cache, but is useless outside this process.
        private static readonly byte[] FingerprintKey = CreateFingerprintKey();

        /// <summary>A keyed hash of the secret, computed from unmanaged memory that is zeroed afterwards.</summary>
        public static string Fingerprint(this SecureString secret)
        {
            var pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
            var bytes = new byte[secret.Length * 2];
            try
            {
                Marshal.Copy(pointer, bytes, 0, bytes.Length);
                using (var hmac = new HMACSHA256(FingerprintKey))
                {
                    return Convert.ToBase64String(hmac.ComputeHash(bytes));
                }
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        /// <summary>The plain text; call only where the client needs it, and do not keep the result.</summary>
        public static string ToPlainText(this SecureString secret)
        {
            var pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
            try
            {
                return Marshal.PtrToStringUni(pointer, secret.Length);
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        /// <summary>A read-only SecureString from text that is already plain (an environment variable).</summary>
        public static SecureString ToSecureString(this string text)
        {
            var secure = new SecureString();
            foreach (var c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        private static byte[] CreateFingerprintKey()
        {
            var key = new byte[32];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(key);
            return key;
        }
    }
}
