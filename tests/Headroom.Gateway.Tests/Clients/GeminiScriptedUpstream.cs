using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Headroom.Gateway.Hosting;
using Headroom.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Headroom.Gateway.Tests.Clients;

/// <summary>
/// The Gemini API played by a script: real Kestrel on loopback that records the exact bytes of each request
/// and lets a function of the request so far choose the answer (a real model answers what it is sent, not by
/// turn number). Like Google's edge it routes by <c>Host</c>: a foreign one gets 421 and lands in
/// <see cref="Refused"/>. With <c>gzip</c> on it compresses the answer whenever the request accepts gzip, as
/// the edge does, flushing the compressor after each event so the stream stays a stream.
/// </summary>
public sealed class GeminiScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<RecordedRequest, GeminiReply> _script;
    private readonly bool _gzip;

    private GeminiScriptedUpstream(WebApplication app, Func<RecordedRequest, GeminiReply> script, bool gzip)
    {
        _app = app;
        _script = script;
        _gzip = gzip;
    }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public ConcurrentQueue<RecordedRequest> Refused { get; } = new();

    public string Authority => $"127.0.0.1:{_app.BoundAddress().Port}";

    public string BaseUrl => $"http://{Authority}";

    public static async Task<GeminiScriptedUpstream> StartAsync(Func<RecordedRequest, GeminiReply> script, bool gzip)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        var upstream = new GeminiScriptedUpstream(app, script, gzip);
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        return upstream;
    }

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

        Requests.Enqueue(recorded);
        var reply = _script(recorded);
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = reply.ContentType;
        var gzip = _gzip && headers.TryGetValue("accept-encoding", out var accepted) && accepted.Contains("gzip", StringComparison.OrdinalIgnoreCase);
        if (gzip)
        {
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.Headers.Vary = "Accept-Encoding";
        }

        await context.Response.StartAsync();
        if (!gzip)
        {
            foreach (var chunk in reply.Chunks)
            {
                await context.Response.Body.WriteAsync(chunk);
                await context.Response.Body.FlushAsync();
            }

            return;
        }

        await using var compressor = new GZipStream(context.Response.Body, CompressionLevel.Fastest, leaveOpen: true);
        foreach (var chunk in reply.Chunks)
        {
            await compressor.WriteAsync(chunk);
            await compressor.FlushAsync();
            await context.Response.Body.FlushAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
