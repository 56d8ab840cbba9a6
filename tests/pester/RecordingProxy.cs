using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CodatFilesTests
{
    /// <summary>
    /// A forward HTTP proxy on 127.0.0.1 for the Pester suites: records each request line and its Proxy-Authorization
    /// header, answers 407 when RequiredAuthorization is set and missing, and forwards the rest to the loopback server
    /// named in the absolute request URI. One request per connection: it asks both sides to close afterwards.
    /// </summary>
    public sealed class RecordingProxy : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        public RecordingProxy(string requiredAuthorization)
        {
            RequiredAuthorization = string.IsNullOrEmpty(requiredAuthorization) ? null : requiredAuthorization;
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            Task.Run(AcceptLoop);
        }

        public int Port { get; }

        public string Url => "http://127.0.0.1:" + Port;

        public string RequiredAuthorization { get; }

        /// <summary>What arrived: "METHOD target|Proxy-Authorization value or -".</summary>
        public ConcurrentQueue<string> Seen { get; } = new ConcurrentQueue<string>();

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false); }
                catch (Exception) { return; }
                _ = Task.Run(() => Serve(client));
            }
        }

        private async Task Serve(TcpClient client)
        {
            using (client)
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(60));
                try
                {
                    var stream = client.GetStream();
                    var head = await ReadHead(stream).ConfigureAwait(false);
                    if (head == null) return;
                    var lines = head.Split(new[] { "\r\n" }, StringSplitOptions.None);
                    var parts = lines[0].Split(' ');
                    string authorization = null;
                    var forwarded = new StringBuilder();
                    var target = new Uri(parts[1]);
                    forwarded.Append(parts[0]).Append(' ').Append(target.PathAndQuery).Append(' ').Append(parts[2]).Append("\r\n");
                    for (var i = 1; i < lines.Length; i++)
                    {
                        if (lines[i].Length == 0) continue;
                        var colon = lines[i].IndexOf(':');
                        var name = colon > 0 ? lines[i].Substring(0, colon).Trim() : lines[i];
                        if (name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)) { authorization = lines[i].Substring(colon + 1).Trim(); continue; }
                        if (name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)) continue;
                        forwarded.Append(lines[i]).Append("\r\n");
                    }
                    forwarded.Append("Connection: close\r\n\r\n");
                    Seen.Enqueue(parts[0] + " " + parts[1] + "|" + (authorization ?? "-"));

                    if (RequiredAuthorization != null && authorization != RequiredAuthorization)
                    {
                        var challenge = Encoding.ASCII.GetBytes("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"codat-test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                        await stream.WriteAsync(challenge, 0, challenge.Length).ConfigureAwait(false);
                        return;
                    }
                    if (!IPAddress.IsLoopback(IPAddress.Parse(target.Host))) return; // loopback servers only
                    using (var server = new TcpClient())
                    {
                        await server.ConnectAsync(IPAddress.Loopback, target.Port).ConfigureAwait(false);
                        var upstream = server.GetStream();
                        var headBytes = Encoding.ASCII.GetBytes(forwarded.ToString());
                        await upstream.WriteAsync(headBytes, 0, headBytes.Length).ConfigureAwait(false);
                        _ = stream.CopyToAsync(upstream, 81920, timeout.Token);
                        await upstream.CopyToAsync(stream, 81920, timeout.Token).ConfigureAwait(false);
                    }
                }
                catch (Exception)
                {
                    // A broken test connection only ends that connection.
                }
            }
        }

        private static async Task<string> ReadHead(NetworkStream stream)
        {
            var buffer = new MemoryStream();
            var one = new byte[1];
            while (buffer.Length < 65536)
            {
                var read = await stream.ReadAsync(one, 0, 1).ConfigureAwait(false);
                if (read == 0) return null;
                buffer.WriteByte(one[0]);
                var length = buffer.Length;
                if (length >= 4)
                {
                    var bytes = buffer.GetBuffer();
                    if (bytes[length - 4] == '\r' && bytes[length - 3] == '\n' && bytes[length - 2] == '\r' && bytes[length - 1] == '\n')
                    {
                        return Encoding.ASCII.GetString(bytes, 0, (int)length - 4);
                    }
                }
            }
            return null;
        }
    }
}
