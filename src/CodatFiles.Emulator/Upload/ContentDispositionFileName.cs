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

        var plain = header.FileName;
        if (!plain.HasValue)
        {
            return PartKind.FormField;
        }

        var value = plain.Value!;
        // FileName returns a quoted-string still quoted (or MIME-decoded text, which is never quoted).
        fileName = value.Length >= 2 && value[0] == '"' && value[^1] == '"'
            ? HeaderUtilities.UnescapeAsQuotedString(value).Value ?? ""
            : value;
        return PartKind.File;
    }
}
