using System.Diagnostics;

namespace Headroom.Bench.Proxy;

/// <summary>
/// Sequential requests, one per target in turn (A B A B ..., or A B C ...), so background noise hits every
/// target alike: <c>warmup</c> unmeasured rounds, then <c>rounds</c> measured ones. A fixed source sends
/// one content throughout; a fresh one makes a new body (outside the timed part) for every request.
/// </summary>
internal static class InterleavedRunner
{
    public static async Task<InterleavedResult> RunAsync(LoadClient client, IReadOnlyList<BenchTarget> targets, int warmup, int rounds)
    {
        var scratch = new byte[16 * 1024];
        var reused = targets.Select(t => t.Source.FreshEachRequest ? null : t.Source.Next()).ToArray();
        try
        {
            var warm = await RoundsAsync(client, targets, reused, warmup, scratch).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            var measured = await RoundsAsync(client, targets, reused, rounds, scratch).ConfigureAwait(false);
            return new InterleavedResult(warm, measured, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var content in reused)
            {
                content?.Dispose();
            }
        }
    }

    private static async Task<Probe[]> RoundsAsync(LoadClient client, IReadOnlyList<BenchTarget> targets, BenchContent?[] reused, int rounds, byte[] scratch)
    {
        var probes = targets.Select(_ => new Probe(Math.Max(1, rounds))).ToArray();
        for (var i = 0; i < rounds; i++)
        {
            for (var t = 0; t < targets.Count; t++)
            {
                await client.SendAsync(targets[t].Address, targets[t].Source, reused[t], scratch, probes[t]).ConfigureAwait(false);
            }
        }

        return probes;
    }
}
