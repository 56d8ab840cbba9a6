using System;
using System.Collections.Generic;
using System.Linq;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// The one owner of the file-type rules: the extensions Codat accepts (upload-files description) and the
    /// Content-Type sent for each, as Codat's SDKs guess it. <see cref="CodatUploadLimits"/> and the multipart
    /// writer both read this table.
    /// </summary>
    internal static class CodatFileTypes
    {
        public const string Fallback = "application/octet-stream";

        // In the order Codat's documentation lists them.
        private static readonly KeyValuePair<string, string>[] Accepted =
        {
            new KeyValuePair<string, string>(".pdf", "application/pdf"),
            new KeyValuePair<string, string>(".xls", "application/vnd.ms-excel"),
            new KeyValuePair<string, string>(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            new KeyValuePair<string, string>(".xlsb", "application/vnd.ms-excel.sheet.binary.macroEnabled.12"),
            new KeyValuePair<string, string>(".csv", "text/csv"),
            new KeyValuePair<string, string>(".doc", "application/msword"),
            new KeyValuePair<string, string>(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            new KeyValuePair<string, string>(".ppt", "application/vnd.ms-powerpoint"),
            new KeyValuePair<string, string>(".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            new KeyValuePair<string, string>(".jpeg", "image/jpeg"),
            new KeyValuePair<string, string>(".jpg", "image/jpeg"),
            new KeyValuePair<string, string>(".png", "image/png"),
        };

        private static readonly Dictionary<string, string> ByExtension =
            Accepted.ToDictionary(type => type.Key, type => type.Value, StringComparer.OrdinalIgnoreCase);

        /// <summary>The accepted extensions with their dot, in Codat's order (compared case-insensitively).</summary>
        public static IReadOnlyList<string> AcceptedExtensions { get; } = Accepted.Select(type => type.Key).ToList().AsReadOnly();

        /// <summary>True when Codat accepts a file of this name.</summary>
        public static bool IsAccepted(string fileName) => ByExtension.ContainsKey(ExtensionOf(fileName));

        /// <summary>The Content-Type of an upload part; <see cref="Fallback"/> for a type Codat does not accept.</summary>
        public static string ContentTypeOf(string fileName) =>
            ByExtension.TryGetValue(ExtensionOf(fileName), out var type) ? type : Fallback;

        /// <summary>
        /// The extension with its dot. Not Path.GetExtension: on .NET Framework that throws for characters such
        /// as '"' or '|', and a Codat file name is any text, not a local path.
        /// </summary>
        internal static string ExtensionOf(string fileName)
        {
            var dot = fileName.LastIndexOf('.');
            var separator = Math.Max(fileName.LastIndexOf('/'), fileName.LastIndexOf('\\'));
            return dot > separator && dot < fileName.Length - 1 ? fileName.Substring(dot) : string.Empty;
        }
    }
}
