using System;
using System.Globalization;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Builds the three operation URLs relative to the server URL. The server URL may carry a path prefix
    /// (a gateway or an emulator mounted below the root), so the base always gets a trailing slash and the
    /// operation paths are relative: "https://host/prefix" + "companies/..." = "https://host/prefix/companies/...".
    /// </summary>
    internal sealed class CodatRequestUris
    {
        private readonly Uri _base;

        public CodatRequestUris(Uri serverUrl)
        {
            if (serverUrl is null) throw new ArgumentNullException(nameof(serverUrl));
            if (!serverUrl.IsAbsoluteUri || (serverUrl.Scheme != Uri.UriSchemeHttp && serverUrl.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException("ServerUrl must be an absolute http or https URL.", nameof(serverUrl));
            }

            // Query and fragment of a base URL would be lost or misplaced when combining, so they are dropped.
            var builder = new UriBuilder(serverUrl) { Query = string.Empty, Fragment = string.Empty };
            if (!builder.Path.EndsWith("/", StringComparison.Ordinal)) builder.Path += "/";
            _base = builder.Uri;
        }

        /// <summary>The base URL without any user info, safe to show in messages.</summary>
        public string DisplayBase => _base.GetComponents(
            UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

        public Uri ListFiles(Guid companyId) => Relative($"companies/{Id(companyId)}/files");

        public Uri UploadFiles(Guid companyId, Guid connectionId) =>
            Relative($"companies/{Id(companyId)}/connections/{Id(connectionId)}/files");

        /// <summary>
        /// The date filter is sent as the calendar day of <paramref name="date"/> (yyyy-MM-dd), exactly as the caller
        /// wrote it: no time-zone conversion, because Codat filters by day and the caller chose the day.
        /// </summary>
        public Uri DownloadFiles(Guid companyId, DateTime? date) =>
            Relative($"companies/{Id(companyId)}/files/download" +
                     (date is DateTime day ? "?date=" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty));

        private Uri Relative(string relative) => new Uri(_base, relative);

        private static string Id(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);
    }
}
