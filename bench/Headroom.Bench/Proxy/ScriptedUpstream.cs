using System.Buffers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Headroom.Bench.Proxy;

/// <summary>
/// The scripted provider: real Kestrel on loopback, no routing, no logging. Reads the whole request
/// body, then answers with <see cref="BenchPayloads.Response"/>; with <c>x-bench-reply: sse</c> it streams
/// <see cref="AgentPayloads.StreamHead"/>, pauses <see cref="StreamPause"/>, then sends the rest. Requests
/// tagged by the bench (<see cref="BenchContent.TagHeader"/>) are tallied in <see cref="UpstreamTally"/>.
/// </summary>
internal sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedUpstream(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The pause between the first event of a streamed answer and the rest (the model thinking).</summary>
    public static readonly TimeSpan StreamPause = TimeSpan.FromMilliseconds(2);

    private static long _lastRequestBytes;

    /// <summary>Length of the last request body received (shows what the gateway forwarded).</summary>
    public static long LastRequestBytes => Interlocked.Read(ref _lastRequestBytes);

    private static volatile bool _capture;
    private static byte[]? _captured;

    /// <summary>Keeps a copy of the next request body (a probe, not for measured requests).</summary>
    public static void CaptureNext()
    {
        _captured = null;
        _capture = true;
    }

    public static byte[]? Captured => Volatile.Read(ref _captured);

    public static async Task<ScriptedUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.AddServerHeader = false;
        });
        builder.WebHost.UseUrls($"http://127.0.0.1:{BenchPorts.NextOrAny()}");
        var app = builder.Build();
        app.Run(AnswerAsync);
        await app.StartAsync().ConfigureAwait(false);
        return new ScriptedUpstream(app, new Uri(app.Urls.First()));
    }

    private static async Task AnswerAsync(HttpContext context)
    {
        var reader = context.Request.BodyReader;
        var capture = _capture;
        long received = 0;
        while (true)
        {
            var read = await reader.ReadAsync().ConfigureAwait(false);
            if (capture)
            {
                // Kept whole until the end, then copied once.
                if (!read.IsCompleted)
                {
                    reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                    continue;
                }

                _capture = false;
                Volatile.Write(ref _captured, read.Buffer.ToArray());
            }

            received += read.Buffer.Length;
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != "/v1/messages")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        Interlocked.Exchange(ref _lastRequestBytes, received);
        if (context.Request.Headers[BenchContent.TagHeader].ToString() is { Length: > 0 } tag
            && long.TryParse(context.Request.Headers[BenchContent.SentHeader].ToString(), System.Globalization.CultureInfo.InvariantCulture, out var sent))
        {
            UpstreamTally.For(tag).Record(received, sent);
        }

        if (context.Request.Headers["x-bench-reply"] == "sse")
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.StartAsync().ConfigureAwait(false);
            await context.Response.Body.WriteAsync(AgentPayloads.StreamHead).ConfigureAwait(false);
            await context.Response.Body.FlushAsync().ConfigureAwait(false);
            await Task.Delay(StreamPause).ConfigureAwait(false);
            await context.Response.Body.WriteAsync(AgentPayloads.StreamTail).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        context.Response.ContentLength = BenchPayloads.Response.Length;
        await context.Response.Body.WriteAsync(BenchPayloads.Response).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
