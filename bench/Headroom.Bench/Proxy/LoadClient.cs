using System.Diagnostics;
using System.Net;

namespace Headroom.Bench.Proxy;

/// <summary>
/// The load generator: one shared HttpClient over a keep-alive SocketsHttpHandler, pre-built request
/// contents, a reused read buffer per worker. A request counts only when the whole answer has been read
/// and is as long as the scripted upstream's answer.
/// </summary>
internal sealed class LoadClient : IDisposable
{
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

    /// <summary>Sends one request; records its time to the first body byte and to the end, or its failure.</summary>
    public async Task SendAsync(Uri target, BenchContent content, byte[] scratch, Probe probe)
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
            var firstByte = 0.0;
            int read;
            while ((read = await stream.ReadAsync(scratch).ConfigureAwait(false)) > 0)
            {
                if (total == 0)
                {
                    firstByte = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }

                total += read;
            }

            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                probe.Total.Fail($"HTTP {(int)response.StatusCode} from {target}");
            }
            else if (total != content.ExpectedResponseBytes)
            {
                probe.Total.Fail($"{total} response bytes instead of {content.ExpectedResponseBytes} from {target}");
            }
            else
            {
                probe.Total.Add(elapsed);
                probe.FirstByte.Add(firstByte);
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            probe.Total.Fail($"{e.GetType().Name}: {e.Message} {e.InnerException?.Message} ({target})");
        }
    }

    /// <summary>Sends <paramref name="reused"/>, or when there is none the next fresh body of <paramref name="source"/> (made before the clock starts).</summary>
    public async Task SendAsync(Uri target, RequestSource source, BenchContent? reused, byte[] scratch, Probe probe)
    {
        if (reused is not null)
        {
            await SendAsync(target, reused, scratch, probe).ConfigureAwait(false);
            return;
        }

        using var fresh = source.Next();
        await SendAsync(target, fresh, scratch, probe).ConfigureAwait(false);
    }

    /// <summary>Bytes this process allocates per sequential request (after 100 unmeasured ones): with
    /// <c>--in-process</c>, client, upstream and gateway together.</summary>
    public async Task<double> AllocatedPerRequestAsync(Uri target, BenchContent content, int requests)
    {
        var scratch = new byte[16 * 1024];
        var sink = new Probe(requests + 100);
        for (var i = 0; i < 100; i++)
        {
            await SendAsync(target, content, scratch, sink).ConfigureAwait(false);
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < requests; i++)
        {
            await SendAsync(target, content, scratch, sink).ConfigureAwait(false);
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)requests;
    }

    public void Dispose() => _client.Dispose();
}
