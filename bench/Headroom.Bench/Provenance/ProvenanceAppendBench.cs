using System.Diagnostics;
using Headroom.Provenance;
using Headroom.Provenance.EventStore;

namespace Headroom.Bench.Provenance;

/// <summary>
/// `provenance-append BACKEND [EVENTS] [BATCH] [raw] [writers=N]`: batched append throughput (events/s)
/// through the store the gateway uses (the inline provenance projection included; `raw` leaves it out), one
/// transaction per batch as the writer does; `writers=N` runs N writers on distinct streams at once (N gateway
/// replicas sharing PostgreSQL). Prints wall-clock and this process's CPU time (the machine may be shared).
/// </summary>
internal static class ProvenanceAppendBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var backend = args.Length > 0 ? args[0] : "sqlite";
        var total = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        var batch = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 500;
        var name = "append_" + Guid.NewGuid().ToString("N")[..8];
        var spec = ProvenanceBenchData.ResolveSpec(backend, name);
        var raw = args.Skip(3).Contains("raw");
        var writers = args.Skip(3).Where(a => a.StartsWith("writers=", StringComparison.Ordinal)).Select(a => int.Parse(a["writers=".Length..], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault(1);
        await using var store = await ProvenanceStore.OpenAsync(spec, ProvenanceBenchData.Options).ConfigureAwait(false);
        var events = raw ? await ProvenanceBenchData.OpenRawAsync(spec).ConfigureAwait(false) : store.Events;

        // Warm up connections, JIT and the schema.
        await AppendAsync(events, "warm", 2_000, batch).ConfigureAwait(false);
        var batches = Enumerable.Range(0, writers).Select(w => Prepare($"run{w}", total / writers, batch).ToList()).ToList();
        var server = await ProvenanceBenchData.ServerClockAsync(spec).ConfigureAwait(false);
        var serverCpu = server?.Read() ?? TimeSpan.Zero;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(batches.Select(own => Task.Run(async () =>
        {
            foreach (var appends in own)
            {
                await events.AppendBatchAsync(appends).ConfigureAwait(false);
            }
        }))).ConfigureAwait(false);

        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        serverCpu = server is null ? TimeSpan.Zero : server.Read() - serverCpu;
        var both = cpu + serverCpu;

        Console.WriteLine($"provenance-append {backend}{(raw ? " raw" : string.Empty)}: {total:N0} events in batches of {batch}, {writers} writer(s), in {watch.Elapsed.TotalSeconds:F2} s = {total / watch.Elapsed.TotalSeconds:N0} events/s wall; client CPU {cpu.TotalSeconds:F2} s ({total / cpu.TotalSeconds:N0} events per client CPU-second){(server is null ? string.Empty : $"; server CPU {serverCpu.TotalSeconds:F2} s; client + server {total / both.TotalSeconds:N0} events per CPU-second")}; inline provenance projection {(raw ? "off" : "on")}");
        await store.DisposeAsync().ConfigureAwait(false);
        await ProvenanceBenchData.DropAsync(spec).ConfigureAwait(false);

        return 0;
    }

    internal static async Task AppendAsync(IEventStore events, string prefix, int total, int batchSize)
    {
        foreach (var appends in Prepare(prefix, total, batchSize))
        {
            await events.AppendBatchAsync(appends).ConfigureAwait(false);
        }
    }

    /// <summary>Batches of whole requests (4 events each), serialized up front so the timing is the store's.</summary>
    internal static IEnumerable<List<StreamAppend>> Prepare(string prefix, int total, int batchSize)
    {
        var perBatch = Math.Max(1, batchSize / 4);
        var request = 0;
        for (var appended = 0; appended < total; appended += perBatch * 4)
        {
            var appends = new List<StreamAppend>(perBatch);
            for (var i = 0; i < perBatch; i++, request++)
            {
                appends.Add(ProvenanceBenchData.Request($"{prefix}-{request}", request));
            }

            yield return appends;
        }
    }
}
