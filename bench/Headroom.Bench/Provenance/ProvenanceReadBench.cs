using System.Diagnostics;
using Headroom.Provenance;

namespace Headroom.Bench.Provenance;

/// <summary>
/// `provenance-read BACKEND [EVENTS] [READS]`: latency of GetRequestProvenanceAsync (the query behind
/// `GET /provenance/{id}`) with EVENTS stored (default 1,000,000; the database is kept and reused).
/// </summary>
internal static class ProvenanceReadBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var backend = args.Length > 0 ? args[0] : "sqlite";
        var target = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        var reads = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        var spec = ProvenanceBenchData.ResolveSpec(backend, "read_" + target);
        await using var store = await ProvenanceStore.OpenAsync(spec, ProvenanceBenchData.Options).ConfigureAwait(false);

        // 1. Fill up to the target once (4 events per request); later runs reuse the data.
        var stored = await store.Events.CountEventsAsync().ConfigureAwait(false);
        if (stored < target)
        {
            var fill = Stopwatch.StartNew();
            await ProvenanceAppendBench.AppendAsync(store.Events, "fill" + stored, (int)(target - stored), 2000).ConfigureAwait(false);
            stored = await store.Events.CountEventsAsync().ConfigureAwait(false);
            Console.WriteLine($"filled to {stored:N0} events in {fill.Elapsed.TotalSeconds:F1} s");
        }

        var requests = (await store.Events.ReadAllAsync(0, 1).ConfigureAwait(false)).Count == 0 ? 0 : stored / 4;
        var ids = await SampleIdsAsync(store, (int)Math.Min(requests, 5000)).ConfigureAwait(false);

        // 2. Random reads, single caller, as an agent calls `GET /provenance/{id}`.
        var random = new Random(7);
        var latencies = new double[reads];
        for (var i = 0; i < 500; i++)
        {
            await store.GetRequestProvenanceAsync(ids[random.Next(ids.Count)]).ConfigureAwait(false);
        }

        for (var i = 0; i < reads; i++)
        {
            var id = ids[random.Next(ids.Count)];
            var started = Stopwatch.GetTimestamp();
            var view = await store.GetRequestProvenanceAsync(id).ConfigureAwait(false) ?? throw new InvalidOperationException($"request {id} not found");
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            GC.KeepAlive(view);
        }

        Array.Sort(latencies);
        Console.WriteLine($"provenance-read {backend}: {stored:N0} events stored, {reads:N0} reads: p50 {latencies[reads / 2]:F3} ms, p99 {latencies[(int)(reads * 0.99)]:F3} ms, max {latencies[^1]:F3} ms");
        return 0;
    }

    /// <summary>Request ids spread over the whole store: stream ids of events at random positions.</summary>
    private static async Task<List<string>> SampleIdsAsync(ProvenanceStore store, int count)
    {
        var random = new Random(1);
        var total = await store.Events.CountEventsAsync().ConfigureAwait(false);
        var ids = new List<string>(count);
        while (ids.Count < count)
        {
            var page = await store.Events.ReadAllAsync(random.NextInt64(0, Math.Max(1, total - 1)), 1).ConfigureAwait(false);
            if (page.Count > 0)
            {
                ids.Add(page[0].StreamId);
            }
        }

        return ids;
    }
}
