using Microsoft.Net.Http.Headers;

namespace CodatFiles.Emulator.Upload;

/// <summary>Reads the uploaded file name of one multipart part from its Content-Disposition header.</summary>
internal static class ContentDispositionFileName
{
    /// <summary>What a part's Content-Disposition says about it.</summary>
    internal enum PartKind
    {
        /// <summary>No <c>filename</c>/<c>filename*</c>: an ordinary form field, not a file.</summary>
        FormField,
        File,
        /// <summary>The header is missing or cannot be parsed, so the part cannot be trusted as either.</summary>
        Unreadable,
    }

    /// <summary>
    /// Prefers <c>filename*</c> (RFC 5987, UTF-8 percent-encoded) over <c>filename</c>, as RFC 6266 asks, because
    /// clients send both and only the former carries non-ASCII names faithfully. A quoted <c>filename</c> has its
    /// quoted-pair escapes (<c>\"</c>, <c>\\</c>) removed.
    /// </summary>
    public static PartKind Read(string? contentDisposition, out string fileName)
    {
        fileName = "";
        if (!ContentDispositionHeaderValue.TryParse(contentDisposition, out var header))
        {
            return PartKind.Unreadable;
        }

        var star = header.FileNameStar;
        if (star.HasValue)
        {
            fileName = star.Value!;
            return PartKind.File;
        }

        // The raw parameter, because FileName hands back a quoted-string with its quotes stripped but its
        // escapes kept, and then "say \"hi\"" could not be told from a name that really holds backslashes.
        var raw = header.Parameters
            .FirstOrDefault(p => p.Name.Equals("filename", StringComparison.OrdinalIgnoreCase))?.Value.Value;
        if (raw is null)
        {
            return PartKind.FormField;
        }
        fileName = raw.Length >= 2 && raw[0] == '"' && raw[^1] == '"'
            ? HeaderUtilities.UnescapeAsQuotedString(raw).Value ?? ""
            : raw;
        if (fileName.StartsWith("=?", StringComparison.Ordinal) && fileName.EndsWith("?=", StringComparison.Ordinal))
        {
            // RFC 2047 encoded-word, as .NET's HttpClient writes non-ASCII names; FileName decodes it.
            fileName = header.FileName.Value ?? fileName;
        }
        return PartKind.File;
    }
}
