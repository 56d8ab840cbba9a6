using System;
using System.Collections.Generic;

namespace CodatFiles.Client.Internal
{
    /// <summary>The Content-Type of an upload part, guessed from the extension as Codat's SDKs do.</summary>
    internal static class UploadContentTypes
    {
        public const string Fallback = "application/octet-stream";

        private static readonly Dictionary<string, string> ByExtension = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [".pdf"] = "application/pdf",
            [".csv"] = "text/csv",
            [".png"] = "image/png",
            [".jpg"] = "image/jpeg",
            [".jpeg"] = "image/jpeg",
            [".xls"] = "application/vnd.ms-excel",
            [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            [".xlsb"] = "application/vnd.ms-excel.sheet.binary.macroEnabled.12",
            [".doc"] = "application/msword",
            [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            [".ppt"] = "application/vnd.ms-powerpoint",
            [".pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        };

        public static string ForFileName(string fileName) =>
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
