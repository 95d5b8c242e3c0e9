using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Headroom.Gateway.Hosting;

namespace Headroom.Gateway.Tests.Infrastructure;

/// <summary>
/// The fake LLM provider: real Kestrel on loopback that records the exact bytes it receives and
/// answers with scripted replies (by path), written chunk by chunk and flushed. Like the CDN edges
/// in front of the public APIs it routes by <c>Host</c>: a request whose <c>Host</c> (or HTTP/2
/// <c>:authority</c>) is not its own gets 421 Misdirected Request and is recorded in <see cref="Refused"/>.
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<UpstreamReply>> _queued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UpstreamReply> _fixed = new(StringComparer.Ordinal);

    private readonly string _hostName;
    private readonly string _scheme;

    private ScriptedUpstream(WebApplication app, string hostName, string scheme)
    {
        _app = app;
        _hostName = hostName;
        _scheme = scheme;
    }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Requests refused with 421 because their Host was not this upstream's authority.</summary>
    public ConcurrentQueue<RecordedRequest> Refused { get; } = new();

    /// <summary>The authority clients must send in Host, e.g. <c>127.0.0.1:5123</c> or <c>localhost:5123</c>.</summary>
    public string Authority => $"{_hostName}:{_app.BoundAddress().Port}";

    public Uri Address => new($"{_scheme}://{Authority}/");

    public string BaseUrl => $"{_scheme}://{Authority}";

    /// <summary>Written before the first chunk is sent; lets tests observe upstream progress.</summary>
    public ConcurrentQueue<(int Chunk, DateTime At)> ChunkLog { get; } = new();

    /// <param name="hostName">The name in <see cref="BaseUrl"/> (it listens on 127.0.0.1 either way).</param>
    /// <param name="certificate">Serve TLS with this certificate (ALPN offers h2 and http/1.1 per <paramref name="protocols"/>).</param>
    public static async Task<ScriptedUpstream> StartAsync(string hostName = "127.0.0.1", X509Certificate2? certificate = null, HttpProtocols protocols = HttpProtocols.Http1AndHttp2)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            // Cleartext HTTP/2 needs prior knowledge, which no provider offers: HTTP/1.1 there.
            listen.Protocols = certificate is null ? HttpProtocols.Http1 : protocols;
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        app.UseWebSockets();
        var upstream = new ScriptedUpstream(app, hostName, certificate is null ? "http" : "https");
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        return upstream;
    }

    /// <summary>Answer every request to this path with the reply.</summary>
    public void Always(string path, UpstreamReply reply) => _fixed[path] = reply;

    /// <summary>Answer the next request to this path with the reply (then fall back to <see cref="Always"/>).</summary>
    public void Next(string path, UpstreamReply reply) => _queued.GetOrAdd(path, _ => new()).Enqueue(reply);

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        headers["host"] = context.Request.Host.Value ?? "";
        var recorded = new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body.ToArray(), context.Request.Protocol);
        if (!string.Equals(context.Request.Host.Value, Authority, StringComparison.OrdinalIgnoreCase))
        {
            Refused.Enqueue(recorded);
            context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
            await context.Response.WriteAsync($"421 Misdirected Request: this edge serves {Authority}, not '{context.Request.Host.Value}'.");
            return;
        }

        if (context.WebSockets.IsWebSocketRequest)
        {
            Requests.Enqueue(recorded);
            await EchoAsync(context);
            return;
        }

        Requests.Enqueue(recorded);

        var path = context.Request.Path.Value ?? "/";
        UpstreamReply? reply = null;
        if (_queued.TryGetValue(path, out var queue))
        {
            queue.TryDequeue(out reply);
        }

        reply ??= _fixed.GetValueOrDefault(path);
        if (reply is null)
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync($"{{\"error\":\"no script for {path}\"}}");
            return;
        }

        if (reply.DelayBeforeHeaders > TimeSpan.Zero)
        {
            await Task.Delay(reply.DelayBeforeHeaders, context.RequestAborted);
        }

        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = reply.ContentType;
        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (reply.ContentType != "text/event-stream")
        {
            context.Response.ContentLength = reply.Chunks.Sum(c => (long)c.Length);
        }

        await context.Response.StartAsync();
        for (var i = 0; i < reply.Chunks.Count; i++)
        {
            if (reply.AbortAfterChunks == i)
            {
                if (reply.GateBeforeAbort is { } abortGate)
                {
                    await abortGate.WaitAsync(TimeSpan.FromSeconds(30));
                }

                context.Abort();
                return;
            }

            if (reply.GatesBeforeChunk.TryGetValue(i, out var gate))
            {
                await gate.WaitAsync(TimeSpan.FromSeconds(30));
            }

            ChunkLog.Enqueue((i, DateTime.UtcNow));
            await context.Response.Body.WriteAsync(reply.Chunks[i]);
            await context.Response.Body.FlushAsync();
        }

        if (reply.AbortAfterChunks == reply.Chunks.Count)
        {
            context.Abort();
        }
    }

    /// <summary>A WebSocket peer (Codex tries one before HTTPS): echoes each text message back.</summary>
    private static async Task EchoAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
