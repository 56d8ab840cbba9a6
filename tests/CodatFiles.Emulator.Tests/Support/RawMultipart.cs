using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;
using System.Text;

namespace CodatFiles.Emulator.Tests.Support;

/// <summary>
/// Builds multipart bodies byte by byte, for Content-Disposition headers that HttpClient would write differently
/// (escaped quotes, filename* alone).
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification =
    "A MemoryStream holds no unmanaged resource; a builder used in one expression has nothing to release.")]
internal sealed class RawMultipart
{
    private const string Boundary = "----emulator-test-boundary-7d1f";
    private readonly MemoryStream _body = new();

    public RawMultipart Part(string contentDisposition, byte[] content)
    {
        Write($"--{Boundary}\r\nContent-Disposition: {contentDisposition}\r\nContent-Type: application/octet-stream\r\n\r\n");
        _body.Write(content);
        Write("\r\n");
        return this;
    }

    public ByteArrayContent Build()
    {
        Write($"--{Boundary}--\r\n");
        var content = new ByteArrayContent(_body.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary=\"{Boundary}\"");
        return content;
    }

    // Header bytes as UTF-8: raw non-ASCII in a quoted filename is what browsers send.
    private void Write(string text) => _body.Write(Encoding.UTF8.GetBytes(text));
}
