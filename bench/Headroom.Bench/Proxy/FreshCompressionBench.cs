using System.Globalization;
using System.Text.Json;

namespace Headroom.Bench.Proxy;

/// <summary>
/// <c>proxy-latency --scenario fresh-compression</c>: every request carries a tool output the gateway has
/// never seen (<see cref="FreshPayloads"/>: a new 8–20 KB log, JSON rows or grep hits per seed), so each one
/// pays detection, compression, storing the original and its provenance; nothing is replayed. B is the same
/// request shape with a new output of the same length that nothing compresses (ids and digests: the
/// pipeline runs, finds nothing worth cutting, forwards it as sent). A is the compressible request sent
/// directly. The upstream tallies, request by request, what the gateway forwarded against what was sent,
/// so the figures only count when C was compressed and B was not.
/// </summary>
internal static class FreshCompressionBench
{
    /// <summary>The compressor's default per-call budget (<c>Headroom:Compression:TimeBudgetMs</c>): one new
    /// output should not cost the request more than one compressor is allowed to take.</summary>
    private const double TargetAddedP99Ms = 50;

    // One session per shape: a session that was sent a marker gets the retrieve tool on every later request.
    private const string PlainSession = "bench-fresh-plain";
    private const string CompressedSession = "bench-fresh-compressed";

    // Seed ranges per phase: no seed is sent twice to one gateway, so nothing can be replayed.
    private const long ProbeSeeds = 0;
    private const long SequentialSeeds = 1_000_000;
    private const long ConcurrentSeeds = 2_000_000;
    private static readonly string[] Names = ["direct", "fresh, nothing to compress", "fresh, compressed"];

    public static async Task<int> RunAsync(ProxyBenchOptions options, LoadClient client, Uri upstream, GatewayUnderTest gateway)
    {
        var log = Console.Error;
        var direct = new Uri(upstream, "v1/messages");
        var proxied = new Uri(gateway.Address, "v1/messages");
        var cpuPid = gateway.IsSeparateProcess ? gateway.Pid : (int?)null;
        var rows = new List<string>();
        var verdicts = new List<string>();
        var dataAtStart = gateway.DataBytes();
        static RequestSource Source(bool compressible, string? session, string tag, long firstSeed) =>
            RequestSource.Fresh(seed => new BenchContent(FreshPayloads.Request(seed, compressible), session: session, tag: tag), firstSeed);
        static BenchTarget[] Targets(Uri direct, Uri proxied, string phase, long firstSeed) =>
        [
            new(direct, Source(compressible: true, null, phase + " A", firstSeed)),
            new(proxied, Source(compressible: false, PlainSession, phase + " B", firstSeed)),
            new(proxied, Source(compressible: true, CompressedSession, phase + " C", firstSeed)),
        ];

        // 0. Probe: a few requests of each shape; the upstream must see every compressible one shorter (and
        //    with headroom_retrieve declared), every other one at its length. Otherwise the figures mean nothing.
        var probes = Targets(direct, proxied, "probe", ProbeSeeds);
        var probe = new Probe(8);
        var scratch = new byte[16 * 1024];
        var shapes = new List<string>();
        for (var i = 0; i < FreshPayloads.Kinds.Length; i++)
        {
            foreach (var target in probes[1..])
            {
                using var content = target.Source.Next();
                var seed = target.Source.FirstSeed + target.Source.Made - 1;
                using (JsonDocument.Parse(await content.ReadAsByteArrayAsync().ConfigureAwait(false)))
                {
                    // A body the walker cannot parse would be forwarded untouched and measure nothing.
                }

                var compressed = ReferenceEquals(target.Source, probes[2].Source);
                ScriptedUpstream.CaptureNext();
                await client.SendAsync(proxied, content, scratch, probe).ConfigureAwait(false);
                var forwarded = ScriptedUpstream.Captured;
                var declaresRetrieve = forwarded is not null && forwarded.AsSpan().IndexOf("\"headroom_retrieve\""u8) >= 0;
                shapes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"seed {seed} {(compressed ? FreshPayloads.Kinds[seed % FreshPayloads.Kinds.Length] : "ids and digests"),-15} {content.Length,6} B sent, {forwarded?.Length ?? -1,6} B forwarded{(declaresRetrieve ? ", headroom_retrieve declared" : "")}"));
                if (compressed != declaresRetrieve)
                {
                    log.WriteLine($"fresh-compression probe: {(compressed ? "a compressible output was forwarded without the retrieve tool" : "an incompressible output got the retrieve tool")}: {shapes[^1]}");
                    return 1;
                }
            }
        }

        var (probeB, probeC) = (UpstreamTally.For("probe B"), UpstreamTally.For("probe C"));
        if (probe.Total.Errors > 0 || probeC.Shorter != probeC.Requests || probeB.Same != probeB.Requests || probeC.Requests == 0)
        {
            log.WriteLine($"fresh-compression probe: the shapes did not take their paths (compressible: {probeC}; incompressible: {probeB}; {probe.Total.FirstError})");
            return 1;
        }

        foreach (var shape in shapes)
        {
            log.WriteLine("probe " + shape);
        }

        // 1. Sequential, interleaved A B C A B C ...: each request a new output.
        var rounds = Math.Max(50, options.Requests / 10);
        var warmup = Math.Max(10, options.Warmup / 10);
        {
            var run = await InterleavedRunner.RunAsync(client, Targets(direct, proxied, "sequential", SequentialSeeds), warmup, rounds).ConfigureAwait(false);
            var (a, b, c) = (run.Measured[0].Total.Stats(), run.Measured[1].Total.Stats(), run.Measured[2].Total.Stats());
            rows.Add(BenchReport.AbcRow("sequential c=1", "JSON total", a, b, c));
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"{"",-17} added p99 B / C: {b.P99 - a.P99:0.000} / {c.P99 - a.P99:0.000} ms; compression over nothing to compress (C − B): p50 {c.P50 - b.P50:0.000} ms, p99 {c.P99 - b.P99:0.000} ms"));
            verdicts.Add(BenchReport.Verdict($"sequential fresh compression added p99 ≤ {TargetAddedP99Ms:0} ms (the default compressor budget)", c.P99 - a.P99 <= TargetAddedP99Ms && c.Errors == 0,
                string.Create(CultureInfo.InvariantCulture, $"{c.P99 - a.P99:0.000} ms (p50 {c.P50 - a.P50:0.000} ms), {c.Errors} errors")));
            BenchReport.Errors(log, "sequential", Names, run.Measured, run.Warmup);

            // The gateway's own account of its last 100 requests (B and C alternate): the time before
            // forwarding holds walking, compressing, storing the original and planning.
            var view = await GatewayView.ReadAsync(client.Http, gateway.Address).ConfigureAwait(false);
            rows.Add($"gateway's view     B: {view.Medians(PlainSession)}");
            rows.Add($"gateway's view     C: {view.Medians(CompressedSession)}");
        }

        // 2. Concurrent: C workers, slices of B and C alternating (A once for reference); the gateway's CPU per request.
        if (!options.SkipConcurrent)
        {
            var run = await new ClosedLoopRunner(client, options.Concurrency).SlicedAsync(Targets(direct, proxied, "concurrent", ConcurrentSeeds), options.Slices, TimeSpan.FromSeconds(options.SliceSeconds), cpuPid, firstOnce: true).ConfigureAwait(false);
            var (a, b, c) = (run.Probes[0].Total.Stats(), run.Probes[1].Total.Stats(), run.Probes[2].Total.Stats());
            rows.Add(BenchReport.AbcRow($"concurrent c={options.Concurrency}", "JSON total", a, b, c)
                + string.Create(CultureInfo.InvariantCulture, $"  req/s {run.RequestsPerSecond(0):0} / {run.RequestsPerSecond(1):0} / {run.RequestsPerSecond(2):0}"));
            if (cpuPid is not null)
            {
                var (cpuB, cpuC) = (run.CpuMicrosecondsPerRequest(1), run.CpuMicrosecondsPerRequest(2));
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"gateway cpu        B {cpuB:0} µs, C {cpuC:0} µs per request, C − B = {cpuC - cpuB:0} µs ({run.GatewayCpu[1].TotalSeconds:0.00} / {run.GatewayCpu[2].TotalSeconds:0.00} s CPU over {run.Seconds[1]:0.0} / {run.Seconds[2]:0.0} s = {run.GatewayCpu[1].TotalSeconds / run.Seconds[1]:0.00} / {run.GatewayCpu[2].TotalSeconds / run.Seconds[2]:0.00} cores)"));
            }

            verdicts.Add(BenchReport.Verdict($"fresh compression at c={options.Concurrency}, 0 errors (no req/s target)", b.Errors == 0 && c.Errors == 0,
                string.Create(CultureInfo.InvariantCulture, $"{run.RequestsPerSecond(2):0} req/s compressed, {run.RequestsPerSecond(1):0} nothing to compress; {c.Errors} / {b.Errors} errors")));
            BenchReport.Errors(log, "concurrent", Names, run.Probes);
        }

        // 3. What reached the upstream, request by request, and what the gateway says it did.
        var phases = options.SkipConcurrent ? new[] { "sequential" } : ["sequential", "concurrent"];
        long cRequests = 0, cShorter = 0, cLonger = 0, bRequests = 0, bSame = 0;
        foreach (var phase in phases)
        {
            var (tb, tc) = (UpstreamTally.For(phase + " B"), UpstreamTally.For(phase + " C"));
            rows.Add($"upstream got       {phase} B: {tb}");
            rows.Add($"upstream got       {phase} C: {tc}");
            (cRequests, cShorter, cLonger, bRequests, bSame) = (cRequests + tc.Requests, cShorter + tc.Shorter, cLonger + tc.Longer, bRequests + tb.Requests, bSame + tb.Same);
        }

        var tools = await GatewayView.ReadAsync(client.Http, gateway.Address).ConfigureAwait(false);
        foreach (var tool in tools.Tools)
        {
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"gateway's tools    {tool.Name} (B's and C's outputs together): {tool.Outputs} new outputs, {tool.Compressed} compressed, {tool.TokensBefore} → {tool.TokensAfter} tokens ({1 - ((double)tool.TokensAfter / tool.TokensBefore):P1} saved)"));
        }

        var stored = gateway.DataBytes() - dataAtStart;
        rows.Add(string.Create(CultureInfo.InvariantCulture,
            $"gateway data dir   grew {stored / 1048576.0:0.0} MB = {stored / 1024.0 / Math.Max(1, cRequests + probeC.Requests):0.0} KB per compressed request (originals, provenance and replay decisions; B's records included)"));
        verdicts.Add(BenchReport.Verdict("every compressible request reached the upstream shorter than sent (compressed)", cRequests > 0 && cShorter == cRequests,
            $"{cShorter} of {cRequests}{(cLonger == 0 ? "" : $"; {cLonger} longer: forwarded as sent plus headroom_retrieve (the session already had it), so the gateway failed open on that output")}"));
        verdicts.Add(BenchReport.Verdict("every incompressible request reached the upstream at its length (not compressed)", bRequests > 0 && bSame == bRequests,
            $"{bSame} of {bRequests}"));

        BenchReport.Write("fresh-compression",
            [
                $"gateway: {gateway.Description}",
                string.Create(CultureInfo.InvariantCulture,
                    $"settings: sequential {warmup} warm-up + {rounds} measured rounds; c={options.Concurrency}, {options.Slices} slices of {options.SliceSeconds} s per gateway target; outputs {FreshPayloads.MinOutputBytes / 1024}-{FreshPayloads.MaxOutputBytes / 1024} KB by seed ({string.Join(", ", FreshPayloads.Kinds)} in turn), seeds from {SequentialSeeds} (sequential) and {ConcurrentSeeds} (concurrent)"),
                .. shapes.Select(shape => "probe " + shape),
                "A = direct, B = gateway, new output with nothing to compress, C = gateway, new output compressed and stored; ms",
            ],
            BenchReport.AbcHeader, rows, verdicts);
        return 0;
    }
}
