using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Headroom.Bench.Proxy;

/// <summary>C closed-loop workers, each with its own request content and read buffer.</summary>
internal sealed class ClosedLoopRunner(LoadClient client, int concurrency)
{
    private readonly HttpContent[] _contents = new HttpContent[concurrency];
    private readonly byte[][] _scratch = Enumerable.Range(0, concurrency).Select(_ => new byte[16 * 1024]).ToArray();

    public void Prepare(byte[] body)
    {
        for (var w = 0; w < concurrency; w++)
        {
            _contents[w]?.Dispose();
            _contents[w] = LoadClient.Content(body);
        }
    }

    /// <summary>Runs until <paramref name="duration"/> has passed or <paramref name="requests"/> were sent; returns seconds taken.</summary>
    public async Task<double> RunAsync(Uri target, LatencyRecorder recorder, TimeSpan duration, long requests)
    {
        var clock = Stopwatch.StartNew();
        var deadline = duration == Timeout.InfiniteTimeSpan ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var remaining = new StrongBox<long>(requests);
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var worker = w;
            workers[w] = Task.Run(async () =>
            {
                while (Stopwatch.GetTimestamp() < deadline && Interlocked.Decrement(ref remaining.Value) >= 0)
                {
                    await client.SendAsync(target, _contents[worker], _scratch[worker], recorder).ConfigureAwait(false);
                }
            });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        return clock.Elapsed.TotalSeconds;
    }
}
