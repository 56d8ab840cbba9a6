namespace CodatFiles.Client.Tests;

/// <summary>
/// Reads through to an inner stream for <c>afterBytes</c> bytes, then throws <c>error</c> on the next read: a
/// connection reset mid-body, or a local file whose disk fails mid-read.
/// </summary>
internal sealed class BreakingStream(Stream inner, long afterBytes, Exception error) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (_read >= afterBytes) throw error;
        var read = await inner.ReadAsync(buffer.AsMemory(offset, (int)Math.Min(count, afterBytes - _read)), cancellationToken);
        _read += read;
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
