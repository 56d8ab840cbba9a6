using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CodatFiles.Client.Tests;

/// <summary>What the loopback server saw of one request.</summary>
internal sealed record LoopbackRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// What the loopback server answers; the reason phrase and headers are sent as given. A <paramref name="ContentLength"/>
/// longer than the body announces more than is sent: the connection closes after the body, cut short.
/// </summary>
internal sealed record LoopbackResponse(int Status, string Reason, string Body = "", IReadOnlyDictionary<string, string>? Headers = null,
    long? ContentLength = null);

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 for what the emulator cannot do: answer with any reason phrase, header
/// or body built from the request (a server echoing the Authorization header), and count request body bytes
/// as they arrive (to see what the client has really sent at a given moment). One request per connection;
/// request bodies must carry Content-Length.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<LoopbackRequest, LoopbackResponse> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private long _bodyBytesReceived;

    private LoopbackHttpServer(Func<LoopbackRequest, LoopbackResponse> respond)
    {
        _respond = respond;
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = AcceptLoopAsync();
    }

    public Uri BaseUrl { get; }

    /// <summary>Request body bytes read from the socket so far, over all requests.</summary>
    public long BodyBytesReceived => Interlocked.Read(ref _bodyBytesReceived);

    public static LoopbackHttpServer Start(Func<LoopbackRequest, LoopbackResponse> respond) => new(respond);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException or OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadHeadAsync(stream);
                await DrainBodyAsync(stream, request);
                await WriteAsync(stream, _respond(request));
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
                // The client gave up on the request; nothing to answer.
            }
        }
    }

    private async Task<LoopbackRequest> ReadHeadAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var buffer = new byte[1];
        // Byte by byte up to the blank line, so no body byte is read (and counted) as part of the head.
        while (!EndsWithBlankLine(head))
        {
            if (await stream.ReadAsync(buffer, _stop.Token) == 0) throw new IOException("connection closed in the request head");
            head.Add(buffer[0]);
        }

        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return new LoopbackRequest(requestLine[0], requestLine[1], headers);
    }

    private async Task DrainBodyAsync(NetworkStream stream, LoopbackRequest request)
    {
        var remaining = long.Parse(request.Header("Content-Length") ?? "0", CultureInfo.InvariantCulture);
        var buffer = new byte[64 * 1024];
        while (remaining > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), _stop.Token);
            if (read == 0) throw new IOException("connection closed in the request body");
            remaining -= read;
            Interlocked.Add(ref _bodyBytesReceived, read);
        }
    }

    private async Task WriteAsync(NetworkStream stream, LoopbackResponse response)
    {
        var body = Encoding.UTF8.GetBytes(response.Body);
        var head = new StringBuilder($"HTTP/1.1 {response.Status} {response.Reason}\r\n");
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>()) head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {response.ContentLength ?? body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head.ToString()), _stop.Token);
        await stream.WriteAsync(body, _stop.Token);
    }

    private static bool EndsWithBlankLine(List<byte> head) =>
        head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n';
}
