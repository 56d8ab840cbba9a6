using CodatFiles.Client;

namespace CodatFiles.Connection
{
    /// <summary>How -Verbose names the proxy of a call (never its credentials).</summary>
    internal static class ProxyDescription
    {
        public static string Of(CodatProxyOptions proxy)
        {
            switch (proxy.Mode)
            {
                case CodatProxyMode.None: return " without a proxy";
                case CodatProxyMode.Explicit: return " through the proxy " + UrlText.Of(proxy.Address!) + CredentialOf(proxy);
                default: return string.Empty;
            }
        }

        private static string CredentialOf(CodatProxyOptions proxy) =>
            proxy.UseDefaultCredentials ? " with the current user's credentials"
            : proxy.Credential != null ? " as user '" + proxy.Credential.UserName + "'"
            : string.Empty;
    }
}
