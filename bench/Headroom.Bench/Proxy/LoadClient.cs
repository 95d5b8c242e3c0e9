using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Headroom.Bench.Proxy;

/// <summary>
/// The load generator: one shared HttpClient over a keep-alive SocketsHttpHandler, pre-built request
/// contents, a reused read buffer per worker. A request counts only when the whole answer has been read.
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _client;

    public LoadClient()
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = int.MaxValue,
        };
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Http => _client;

    /// <summary>A request content that can be sent any number of times, one request at a time.</summary>
    public static ByteArrayContent Content(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        content.Headers.ContentLength = body.Length;
        return content;
    }

    /// <summary>Sends one request; records its latency or its failure.</summary>
    public async Task SendAsync(Uri target, HttpContent content, byte[] scratch, LatencyRecorder recorder)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Not disposed: disposing a request message disposes its content, which is reused.
            var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
            request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-bench-0000");
            request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var total = 0;
            int read;
            while ((read = await stream.ReadAsync(scratch).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                recorder.Fail($"HTTP {(int)response.StatusCode} from {target}");
            }
            else if (total != BenchPayloads.Response.Length)
            {
                recorder.Fail($"{total} response bytes instead of {BenchPayloads.Response.Length} from {target}");
            }
            else
            {
                recorder.Add(elapsed);
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            recorder.Fail($"{e.GetType().Name}: {e.Message} {e.InnerException?.Message} ({target})");
        }
    }

    public void Dispose() => _client.Dispose();
}
