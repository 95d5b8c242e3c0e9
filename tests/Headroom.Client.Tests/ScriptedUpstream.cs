using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Headroom.Client.Tests;

/// <summary>
/// The fake provider: Kestrel on loopback recording the exact bytes of every request and answering each
/// path's requests with the replies queued for it, in order (JSON in one write, SSE one event per flush).
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Reply>> _queued = new(StringComparer.Ordinal);

    private ScriptedUpstream(WebApplication app) => _app = app;

    public ConcurrentQueue<Recorded> Requests { get; } = new();

    public Uri BaseAddress => new(_app.Urls.First().TrimEnd('/') + "/");

    public static async Task<ScriptedUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var upstream = new ScriptedUpstream(app);
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        return upstream;
    }

    public void Json(string path, string body) => _queued.GetOrAdd(path, _ => new()).Enqueue(new Reply("application/json", [body]));

    /// <summary>An SSE reply: one chunk per event (the text split after each blank line).</summary>
    public void Sse(string path, string events) =>
        _queued.GetOrAdd(path, _ => new()).Enqueue(new Reply("text/event-stream", events.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e + "\n\n").ToArray()));

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        Requests.Enqueue(new Recorded(context.Request.Path.Value ?? "", headers, body.ToArray()));
        if (!_queued.TryGetValue(context.Request.Path.Value ?? "", out var queue) || !queue.TryDequeue(out var reply))
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync($"{{\"error\":\"the test scripted no reply for request {Requests.Count} to {context.Request.Path}\"}}");
            return;
        }

        context.Response.ContentType = reply.ContentType;
        await context.Response.StartAsync();
        foreach (var chunk in reply.Chunks)
        {
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(chunk));
            await context.Response.Body.FlushAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record Reply(string ContentType, string[] Chunks);
}

/// <summary>One request as the upstream received it.</summary>
public sealed record Recorded(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);
}
