using System.Diagnostics;
using System.Globalization;
using Headroom.Compressors.Spans;
using Headroom.Provenance;
using Headroom.Provenance.Caching;
using Span = Headroom.Compressors.Spans.Span;

namespace Headroom.Bench.Provenance;

/// <summary>
/// `compression-cache-read sqlite|postgres [ENTRIES] [ROUNDS]`: what a replay-cache miss costs. The gateway keeps
/// its replay decisions in two in-memory generations (Compression:ReplayCacheMegabytes each); an output that has
/// fallen out of both is read back from the persisted compression cache, one lookup per replayed output. This
/// stores ENTRIES entries shaped like live-zone decisions (1.5-3.5 KB of forwarded bytes, 30 spans) in a fresh
/// store and reads them all back in random order, ROUNDS times.
/// </summary>
internal static class CompressionCacheReadBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var backend = args.Length > 0 ? args[0] : "sqlite";
        var entries = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var name = "cache_" + Guid.NewGuid().ToString("N")[..8];
        var spec = ProvenanceBenchData.ResolveSpec(backend, name);
        try
        {
            await using var store = await ProvenanceStore.OpenAsync(spec, ProvenanceBenchData.Options).ConfigureAwait(false);
            var random = new Random(1);
            var keys = new CompressionCacheKey[entries];
            for (var i = 0; i < entries; i++)
            {
                keys[i] = new CompressionCacheKey(Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()), "live-zone", "1", "");
                var bytes = new byte[1500 + random.Next(2000)];
                random.NextBytes(bytes);
                var spans = new Span[30];
                for (var s = 0; s < spans.Length; s++)
                {
                    spans[s] = new Span(SpanKind.Kept, s * 40, (s * 40) + 40, s * 100, (s * 100) + 40);
                }

                await store.CompressionCache.GetOrAddAsync(keys[i], new CompressionCacheEntry(bytes, spans)).ConfigureAwait(false);
            }

            var latencies = new double[entries];
            for (var round = 1; round <= rounds; round++)
            {
                var order = Enumerable.Range(0, entries).OrderBy(_ => random.Next()).ToArray();
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < entries; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    _ = await store.CompressionCache.TryGetAsync(keys[order[i]]).ConfigureAwait(false)
                        ?? throw new InvalidOperationException($"entry {order[i]} was stored but reads back as missing");
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                }

                Array.Sort(latencies);
                Console.WriteLine($"compression-cache-read {backend} round {round}: {entries:N0} entries in random order, " +
                    $"mean {clock.Elapsed.TotalMicroseconds / entries:F1} µs, p50 {latencies[entries / 2]:F1} µs, p99 {latencies[(int)(entries * 0.99)]:F1} µs per read");
            }

            return 0;
        }
        finally
        {
            if (spec.StartsWith("sqlite:", StringComparison.Ordinal))
            {
                foreach (var file in Directory.GetFiles(Path.GetTempPath(), $"headroom-bench-{name}.db*"))
                {
                    File.Delete(file);
                }
            }
        }
    }
}
