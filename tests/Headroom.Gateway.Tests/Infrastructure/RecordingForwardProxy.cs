using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Headroom.Gateway.Tests.Infrastructure;

/// <summary>
/// A minimal outbound HTTP proxy of the kind corporate networks run: <c>CONNECT host:port</c> opens
/// a tunnel (HTTPS upstreams); an absolute-form request (<c>POST http://host:port/path</c>) is
/// relayed to that origin in origin form (HTTP upstreams). Records each request line it served.
/// </summary>
public sealed class RecordingForwardProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    public RecordingForwardProxy()
    {
        _listener.Start();
        _accept = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Request lines as received, e.g. <c>CONNECT localhost:5001 HTTP/1.1</c>.</summary>
    public ConcurrentQueue<string> RequestLines { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                var firstLine = head[..head.IndexOf("\r\n", StringComparison.Ordinal)];
                RequestLines.Enqueue(firstLine);
                var parts = firstLine.Split(' ');
                using var origin = new TcpClient();
                if (parts[0] == "CONNECT")
                {
                    var (host, port) = Split(parts[1]);
                    await origin.ConnectAsync(host, port);
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 Connection Established\r\n\r\n"));
                }
                else
                {
                    var target = new Uri(parts[1]);
                    await origin.ConnectAsync(target.Host, target.Port);
                    var rewritten = parts[0] + " " + target.PathAndQuery + " " + parts[2] + head[firstLine.Length..];
                    await origin.GetStream().WriteAsync(Encoding.ASCII.GetBytes(rewritten));
                }

                var originStream = origin.GetStream();
                var up = stream.CopyToAsync(originStream, _stop.Token);
                var down = originStream.CopyToAsync(stream, _stop.Token);
                await Task.WhenAny(up, down);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private static (string Host, int Port) Split(string authority)
    {
        var colon = authority.LastIndexOf(':');
        return (authority[..colon].Trim('[', ']'), int.Parse(authority[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Reads up to the blank line that ends the request head (byte by byte: the body must stay in the socket).</summary>
    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                throw new IOException("client closed before the request head ended");
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        _stop.Dispose();
    }
}
