using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text;
using Headroom.Gateway.Hosting;
using Headroom.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Headroom.Gateway.Tests.Clients;

/// <summary>
/// A pass-through between a real client and the gateway that records what the client sent and what it got
/// back, so a test can tell the client's own requests from the ones the gateway makes upstream. It forwards
/// the request's bytes and end-to-end headers (Host becomes the gateway's address, as if the client had
/// called it directly) and streams the answer back as it arrives, coded as the gateway coded it.
/// </summary>
public sealed class ClientSideRecorder : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection", "content-length",
    };

    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _forwarder = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None });
    private readonly Uri _target;

    private ClientSideRecorder(WebApplication app, Uri target)
    {
        _app = app;
        _target = target;
    }

    /// <summary>Each exchange in arrival order: the client's request and the answer's status and decoded body.</summary>
    public ConcurrentQueue<(RecordedRequest Request, int Status, string Answer)> Exchanges { get; } = new();

    public string BaseUrl => $"http://127.0.0.1:{_app.BoundAddress().Port}";

    public static async Task<ClientSideRecorder> StartAsync(Uri target)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        var recorder = new ClientSideRecorder(app, target);
        app.Run(recorder.RelayAsync);
        await app.StartAsync();
        return recorder;
    }

    private async Task RelayAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body.ToArray(), context.Request.Protocol);

        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_target, recorded.PathAndQuery))
        {
            Content = new ByteArrayContent(recorded.Body),
        };
        foreach (var header in context.Request.Headers)
        {
            if (HopByHop.Contains(header.Key))
            {
                continue;
            }

            if (!forward.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
            {
                forward.Content.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        using var answer = await _forwarder.SendAsync(forward, context.RequestAborted);
        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var header in answer.Headers.Concat(answer.Content.Headers))
        {
            if (!HopByHop.Contains(header.Key))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        using var copy = new MemoryStream();
        await using var stream = await answer.Content.ReadAsStreamAsync(context.RequestAborted);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            copy.Write(buffer, 0, read);
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        Exchanges.Enqueue((recorded, (int)answer.StatusCode, Decode(copy.ToArray(), answer.Content.Headers.ContentEncoding.LastOrDefault())));
    }

    private static string Decode(byte[] bytes, string? coding)
    {
        if (coding is null || bytes.Length == 0)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        using var source = new MemoryStream(bytes);
        using Stream decoder = coding.ToLowerInvariant() switch
        {
            "gzip" or "x-gzip" => new GZipStream(source, CompressionMode.Decompress),
            "deflate" => new ZLibStream(source, CompressionMode.Decompress),
            "br" => new BrotliStream(source, CompressionMode.Decompress),
            _ => throw new InvalidOperationException($"the gateway answered in an unknown Content-Encoding '{coding}'"),
        };
        using var reader = new StreamReader(decoder, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        _forwarder.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
