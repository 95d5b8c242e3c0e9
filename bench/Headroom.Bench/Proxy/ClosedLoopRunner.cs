using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Headroom.Bench.Proxy;

/// <summary>C closed-loop workers, each with its own request content (or a new one per request) and read buffer.</summary>
internal sealed class ClosedLoopRunner(LoadClient client, int concurrency)
{
    private readonly byte[][] _scratch = Enumerable.Range(0, concurrency).Select(_ => new byte[16 * 1024]).ToArray();

    public int Concurrency => concurrency;

    /// <summary>Runs until <paramref name="duration"/> has passed or <paramref name="requests"/> were sent; returns seconds taken.</summary>
    public async Task<double> RunAsync(Uri target, RequestSource source, Probe probe, TimeSpan duration, long requests = long.MaxValue)
    {
        var clock = Stopwatch.StartNew();
        var deadline = duration == Timeout.InfiniteTimeSpan ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var remaining = new StrongBox<long>(requests);
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var scratch = _scratch[w];
            workers[w] = Task.Run(async () =>
            {
                using var reused = source.FreshEachRequest ? null : source.Next();
                while (Stopwatch.GetTimestamp() < deadline && Interlocked.Decrement(ref remaining.Value) >= 0)
                {
                    await client.SendAsync(target, source, reused, scratch, probe).ConfigureAwait(false);
                }
            });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Concurrent slices of <paramref name="slice"/> for one target after another, <paramref name="slices"/>
    /// rounds (after one unmeasured second per target), so background noise hits every target alike. With
    /// <paramref name="firstOnce"/> the first target (the direct reference) gets one slice only. The CPU of
    /// process <paramref name="gatewayPid"/> is read around each slice (none when null).
    /// </summary>
    public async Task<SlicedResult> SlicedAsync(IReadOnlyList<BenchTarget> targets, int slices, TimeSpan slice, int? gatewayPid, bool firstOnce = false)
    {
        foreach (var target in targets)
        {
            await RunAsync(target.Address, target.Source, new Probe(1), TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }

        var capacity = (int)Math.Min(20_000_000, (slices * slice.TotalSeconds * 60_000) + 1_000);
        var probes = targets.Select(_ => new Probe(capacity)).ToArray();
        var seconds = new double[targets.Count];
        var cpu = new TimeSpan[targets.Count];
        for (var s = 0; s < slices; s++)
        {
            for (var t = firstOnce && s > 0 ? 1 : 0; t < targets.Count; t++)
            {
                var before = gatewayPid is { } pid ? ProcessCpu.Of(pid) : TimeSpan.Zero;
                seconds[t] += await RunAsync(targets[t].Address, targets[t].Source, probes[t], slice).ConfigureAwait(false);
                cpu[t] += gatewayPid is { } after ? ProcessCpu.Of(after) - before : TimeSpan.Zero;
            }
        }

        return new SlicedResult(probes, seconds, cpu);
    }
}
