using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Headroom.Gateway.Hosting;

namespace Headroom.Gateway.Tests.Infrastructure;

/// <summary>
/// The fake LLM provider: real Kestrel on loopback that records the exact bytes it receives and
/// answers with scripted replies (by path), written chunk by chunk and flushed.
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<UpstreamReply>> _queued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UpstreamReply> _fixed = new(StringComparer.Ordinal);

    private ScriptedUpstream(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public Uri Address => _app.BoundAddress();

    public string BaseUrl => Address.ToString().TrimEnd('/');

    /// <summary>Written before the first chunk is sent; lets tests observe upstream progress.</summary>
    public ConcurrentQueue<(int Chunk, DateTime At)> ChunkLog { get; } = new();

    public static async Task<ScriptedUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var upstream = new ScriptedUpstream(app);
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
        Requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body.ToArray()));

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

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
