using System.Diagnostics;
using Headroom.Provenance;
using Headroom.Provenance.EventStore;

namespace Headroom.Bench.Provenance;

/// <summary>
/// `provenance-append BACKEND [EVENTS] [BATCH] [raw] [legacy] [writers=N]`: batched append throughput (events/s
/// and requests/s; a request is 2 events, or the 4 it was before with `legacy`)
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
        var legacy = args.Skip(3).Contains("legacy");
        var perRequest = legacy ? 4 : 2;
        var writers = args.Skip(3).Where(a => a.StartsWith("writers=", StringComparison.Ordinal)).Select(a => int.Parse(a["writers=".Length..], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault(1);
        await using var store = await ProvenanceStore.OpenAsync(spec, ProvenanceBenchData.Options).ConfigureAwait(false);
        var events = raw ? await ProvenanceBenchData.OpenRawAsync(spec).ConfigureAwait(false) : store.Events;

        // Warm up connections, JIT and the schema.
        await AppendAsync(events, "warm", 2_000, batch, legacy).ConfigureAwait(false);
        var batches = Enumerable.Range(0, writers).Select(w => Prepare($"run{w}", total / writers, batch, legacy).ToList()).ToList();
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

        Console.WriteLine($"provenance-append {backend}{(raw ? " raw" : string.Empty)}: {total:N0} events in batches of {batch}, {writers} writer(s), in {watch.Elapsed.TotalSeconds:F2} s = {total / watch.Elapsed.TotalSeconds:N0} events/s wall ({total / perRequest / watch.Elapsed.TotalSeconds:N0} requests/s, {perRequest} events each{(legacy ? ", legacy shape" : string.Empty)}); client CPU {cpu.TotalSeconds:F2} s ({total / cpu.TotalSeconds:N0} events per client CPU-second){(server is null ? string.Empty : $"; server CPU {serverCpu.TotalSeconds:F2} s; client + server {total / both.TotalSeconds:N0} events per CPU-second")}; inline provenance projection {(raw ? "off" : "on")}");
        await store.DisposeAsync().ConfigureAwait(false);
        await ProvenanceBenchData.DropAsync(spec).ConfigureAwait(false);

        return 0;
    }

    internal static async Task AppendAsync(IEventStore events, string prefix, int total, int batchSize, bool legacy = false)
    {
        foreach (var appends in Prepare(prefix, total, batchSize, legacy))
        {
            await events.AppendBatchAsync(appends).ConfigureAwait(false);
        }
    }

    /// <summary>Batches of whole requests (2 events each, 4 with <paramref name="legacy"/>), serialized up front so the timing is the store's.</summary>
    internal static IEnumerable<List<StreamAppend>> Prepare(string prefix, int total, int batchSize, bool legacy = false)
    {
        var perRequest = legacy ? 4 : 2;
        var perBatch = Math.Max(1, batchSize / perRequest);
        var request = 0;
        for (var appended = 0; appended < total; appended += perBatch * perRequest)
        {
            var appends = new List<StreamAppend>(perBatch);
            for (var i = 0; i < perBatch; i++, request++)
            {
                appends.Add(ProvenanceBenchData.Request($"{prefix}-{request}", request, legacy));
            }

            yield return appends;
        }
    }
}
