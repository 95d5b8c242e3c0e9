using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace Headroom.Bench.Proxy;

/// <summary>
/// <c>proxy-latency</c> (scenario <c>passthrough</c>, the default): the gateway's added latency versus
/// calling the scripted upstream directly (A = direct, B = through the gateway, interleaved in one run),
/// 2 KB and 200 KB bodies, sequential and concurrent; the 2 KB request streamed (<c>"stream": true</c>):
/// time to the first body byte, sequential and concurrent; requests/s and CPU per request through the
/// gateway; the gateway's peak RSS after a 100k-request phase. The other scenarios start from here.
/// </summary>
internal static class ProxyLatencyBench
{
    // The issue's targets for 2 KB passthrough: ≥ 10,000 req/s at 50 connections with zero errors; added
    // p50 ≤ 0.2 ms sequential; streaming time to first byte ≤ 0.5 ms added; RSS ≤ 150 MB after 100k requests.
    private const double TargetAddedP50Ms = 0.2;
    private const double TargetAddedP99Ms = 2.0;
    private const double TargetRequestsPerSecond = 10_000;
    private const double TargetStreamTtfbAddedMs = 0.5;
    private const double TargetRssMb = 150;
    private static readonly string[] Names = ["direct", "gateway"];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ProxyBenchOptions.Parse(args);
        if (options is null || options.Help)
        {
            (options is null ? Console.Error : Console.Out).WriteLine("usage: " + ProxyBenchOptions.Usage);
            return options is null ? 2 : 0;
        }

        var log = Console.Error;
        var loadAtStart = BenchReport.LoadAverage();
        await using var upstream = await ScriptedUpstream.StartAsync().ConfigureAwait(false);
        using var client = new LoadClient();
        var dll = options.GatewayDll ?? Path.Combine(RepositoryRoot(), "gateway", "Headroom.Gateway", "bin", "Release", "net10.0", "headroom.dll");
        await using var gateway = options.InProcess
            ? await GatewayUnderTest.StartInProcessAsync(upstream.Address).ConfigureAwait(false)
            : await GatewayUnderTest.StartProcessAsync(dll, upstream.Address, client.Http, options.GatewayEnvironment).ConfigureAwait(false);
        var direct = new Uri(upstream.Address, "v1/messages");
        var proxied = new Uri(gateway.Address, "v1/messages");
        var runner = new ClosedLoopRunner(client, options.Concurrency);
        var cpuPid = gateway.IsSeparateProcess ? gateway.Pid : (int?)null;
        var startMemory = gateway.Memory();
        log.WriteLine($"upstream {upstream.Address}, gateway {gateway.Address} ({gateway.Description}); {startMemory} at start");
        switch (options.Scenario)
        {
            case ProxyScenario.AgentRequest:
                return await CompressedPathBench.RunAsync(options, client, upstream.Address, gateway).ConfigureAwait(false);
            case ProxyScenario.FreshCompression:
                return await FreshCompressionBench.RunAsync(options, client, upstream.Address, gateway).ConfigureAwait(false);
        }

        var rows = new List<string>();
        var verdicts = new List<string>();
        var gatewayRequests = 0L;

        // A/B targets with one fixed body; the gateway's requests are tagged so the upstream tallies what arrived.
        BenchTarget[] Targets(byte[] body, bool stream, string phase) =>
        [
            new(direct, RequestSource.Fixed(() => new BenchContent(body, stream))),
            new(proxied, RequestSource.Fixed(() => new BenchContent(body, stream, tag: phase))),
        ];

        // 1. Sequential, interleaved A B A B ...: warm-up pairs, then measured pairs, per body size; then the
        //    streamed request (time to first byte: the upstream sends message_start, pauses, then the rest).
        var sequential = options.Sizes.Select(size => (Body: BenchPayloads.Request(size), Stream: false, options.Warmup, options.Requests)).ToList();
        if (!options.SkipStreaming)
        {
            sequential.Add((BenchPayloads.Request(options.StreamBodyBytes, stream: true), true, options.StreamWarmup, options.StreamRequests));
        }

        foreach (var (body, stream, warmup, requests) in sequential)
        {
            var label = BenchPayloads.Label(body.Length);
            var phase = $"sequential {(stream ? "stream " : "")}{label}";
            var run = await InterleavedRunner.RunAsync(client, Targets(body, stream, phase), warmup, requests).ConfigureAwait(false);
            gatewayRequests += warmup + requests;
            var (sa, sb) = (run.Measured[0].Total.Stats(), run.Measured[1].Total.Stats());
            var errorsA = sa.Errors + run.Warmup[0].Total.Errors;
            var errorsB = sb.Errors + run.Warmup[1].Total.Errors;
            if (stream)
            {
                var (fa, fb) = (run.Measured[0].FirstByte.Stats(), run.Measured[1].FirstByte.Stats());
                rows.Add(Row("stream ttfb c=1", body.Length, fa, fb, double.NaN, errorsA, errorsB));
                rows.Add(Row("stream total c=1", body.Length, sa, sb, double.NaN, errorsA, errorsB));
                verdicts.Add(BenchReport.Verdict($"streaming {label} time to first byte added p50 ≤ {TargetStreamTtfbAddedMs} ms", fb.P50 - fa.P50 <= TargetStreamTtfbAddedMs && errorsB == 0,
                    string.Create(CultureInfo.InvariantCulture, $"{BenchReport.Ms(fb.P50 - fa.P50)} (p99 {BenchReport.Ms(fb.P99 - fa.P99)}), {errorsB} errors")));
            }
            else
            {
                rows.Add(Row("sequential c=1", body.Length, sa, sb, double.NaN, errorsA, errorsB));
                verdicts.Add(BenchReport.Verdict($"sequential {label} added p50 ≤ {TargetAddedP50Ms} ms", sb.P50 - sa.P50 <= TargetAddedP50Ms, BenchReport.Ms(sb.P50 - sa.P50)));
                verdicts.Add(BenchReport.Verdict($"sequential {label} added p99 ≤ {TargetAddedP99Ms} ms", sb.P99 - sa.P99 <= TargetAddedP99Ms, BenchReport.Ms(sb.P99 - sa.P99)));
            }

            BenchReport.Errors(log, phase, Names, run.Measured, run.Warmup);
            var own = await GatewayView.ReadAsync(client.Http, gateway.Address).ConfigureAwait(false);
            log.WriteLine($"{phase} done in {run.Seconds:0.0} s; upstream got {Forwarded(phase)}; gateway's own view of its last 100: {own.Medians()}; {gateway.Memory()}");
        }

        // 2. Concurrent: C workers, alternating A-only and B-only slices so background noise hits both;
        //    then the streamed request the same way (requests/s and time to first byte under load).
        if (!options.SkipConcurrent)
        {
            var concurrent = options.Sizes.Select(size => (Body: BenchPayloads.Request(size), Stream: false)).ToList();
            if (!options.SkipStreaming)
            {
                concurrent.Add((BenchPayloads.Request(options.StreamBodyBytes, stream: true), true));
            }

            foreach (var (body, stream) in concurrent)
            {
                var label = BenchPayloads.Label(body.Length);
                var phase = $"concurrent {(stream ? "stream " : "")}{label}";
                var run = await runner.SlicedAsync(Targets(body, stream, phase), options.Slices, TimeSpan.FromSeconds(options.SliceSeconds), cpuPid).ConfigureAwait(false);
                var (sa, sb) = (run.Probes[0].Total.Stats(), run.Probes[1].Total.Stats());
                gatewayRequests += UpstreamTally.For(phase).Requests;
                var (rpsA, rpsB) = (run.RequestsPerSecond(0), run.RequestsPerSecond(1));
                var c = options.Concurrency;
                if (stream)
                {
                    rows.Add(Row($"stream ttfb c={c}", body.Length, run.Probes[0].FirstByte.Stats(), run.Probes[1].FirstByte.Stats(), double.NaN, sa.Errors, sb.Errors));
                    rows.Add(Row($"stream total c={c}", body.Length, sa, sb, rpsB, sa.Errors, sb.Errors, rpsA));
                    verdicts.Add(BenchReport.Verdict($"streaming {label} at c={c}, 0 errors (no req/s target)", sb.Errors == 0, string.Create(CultureInfo.InvariantCulture, $"{rpsB:0} req/s, {sb.Errors} errors")));
                }
                else
                {
                    rows.Add(Row($"concurrent c={c}", body.Length, sa, sb, rpsB, sa.Errors, sb.Errors, rpsA));
                    verdicts.Add(BenchReport.Verdict($"concurrent {label} at c={c} ≥ {TargetRequestsPerSecond:0} req/s, 0 errors", rpsB >= TargetRequestsPerSecond && sb.Errors == 0, string.Create(CultureInfo.InvariantCulture, $"{rpsB:0} req/s, {sb.Errors} errors")));
                }

                BenchReport.Errors(log, phase, Names, run.Probes);
                log.WriteLine($"{phase}: direct {sa.Count} in {run.Seconds[0]:0.0} s, gateway {sb.Count} in {run.Seconds[1]:0.0} s; upstream got {Forwarded(phase)}; {gateway.Memory()}");
                if (cpuPid is not null)
                {
                    // The gateway process's CPU during its slices only, per request it served: steadier than req/s.
                    var served = run.Probes[1].Total.Succeeded + sb.Errors;
                    rows.Add(string.Create(CultureInfo.InvariantCulture,
                        $"gateway cpu        {(stream ? "stream " : "") + label,-10} {run.CpuMicrosecondsPerRequest(1):0.0} µs per request ({run.GatewayCpu[1].TotalSeconds:0.00} s CPU over {served} requests in {run.Seconds[1]:0.0} s = {run.GatewayCpu[1].TotalSeconds / run.Seconds[1]:0.00} cores)"));
                }
            }
        }

        // 3. In-process only: allocated bytes per request (B − A ≈ what the gateway allocates per request).
        if (options.InProcess && options.AllocRequests > 0)
        {
            using var sampler = new AllocationSampler();
            foreach (var size in options.Sizes)
            {
                using var content = new BenchContent(BenchPayloads.Request(size));
                await Task.Delay(1_500).ConfigureAwait(false);
                sampler.Take();
                var perA = await client.AllocatedPerRequestAsync(direct, content, options.AllocRequests).ConfigureAwait(false);
                await Task.Delay(1_500).ConfigureAwait(false);
                var ticksA = sampler.Take();
                var perB = await client.AllocatedPerRequestAsync(proxied, content, options.AllocRequests).ConfigureAwait(false);
                await Task.Delay(1_500).ConfigureAwait(false);
                var ticksB = sampler.Take();
                var extra = ticksB.Select(t => (Type: t.Key, Ticks: t.Value - ticksA.GetValueOrDefault(t.Key))).Where(t => t.Ticks > 0).OrderByDescending(t => t.Ticks).Take(15);
                log.WriteLine($"allocation ticks (~100 KB each) via gateway minus direct, {BenchPayloads.Label(size)}, {options.AllocRequests} requests each:");
                foreach (var (type, ticks) in extra)
                {
                    log.WriteLine($"  {ticks,5}  {type}");
                }

                gatewayRequests += options.AllocRequests + 100;
                log.WriteLine($"allocated per request, {BenchPayloads.Label(size)}: direct {perA:0} B, via gateway {perB:0} B, gateway's share ≈ {perB - perA:0} B");
                rows.Add(string.Create(CultureInfo.InvariantCulture, $"alloc/request      {BenchPayloads.Label(size),-8} direct {perA:0} B, via gateway {perB:0} B, gateway's share ≈ {perB - perA:0} B (client+upstream+gateway in one process)"));
            }
        }

        // 4. Memory. The long-running gateway's peak covers everything above (200 KB bodies at C
        //    concurrency included); then a fresh gateway process gets exactly --rss-requests requests,
        //    so "peak RSS after 100k requests" means that alone.
        if (!options.SkipRss)
        {
            var whole = gateway.Memory();
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"gateway memory     after the phases above ({gatewayRequests} requests): {whole}; data dir {gateway.DataBytes() / 1048576.0:0.0} MB{(gateway.IsSeparateProcess ? "" : " [whole bench process]")}"));
            await using var fresh = gateway.IsSeparateProcess
                ? await GatewayUnderTest.StartProcessAsync(dll, upstream.Address, client.Http, options.GatewayEnvironment).ConfigureAwait(false)
                : null;
            var measured = fresh ?? gateway;
            var target = new Uri(measured.Address, "v1/messages");
            var before = measured.Memory();
            var rssBody = BenchPayloads.Request(options.RssBodyBytes);
            var source = RequestSource.Fixed(() => new BenchContent(rssBody));
            var r = new Probe(options.RssRequests);

            // In ten chunks, so the RSS curve shows whether memory plateaus or keeps growing.
            var seconds = 0.0;
            var curve = new List<string>();
            for (long sent = 0, chunk = Math.Max(1, options.RssRequests / 10); sent < options.RssRequests; sent += chunk)
            {
                seconds += await runner.RunAsync(target, source, r, Timeout.InfiniteTimeSpan, Math.Min(chunk, options.RssRequests - sent)).ConfigureAwait(false);
                curve.Add(measured.Memory().RssMb.ToString("0", CultureInfo.InvariantCulture));
            }

            var s = r.Total.Stats();
            await Task.Delay(2_000).ConfigureAwait(false);
            var settled = measured.Memory();
            BenchReport.Errors(log, "rss phase", ["gateway"], [r]);
            var which = fresh is null ? "same gateway [whole bench process]" : $"fresh gateway pid {fresh.Pid}";
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"rss phase c={options.Concurrency,-5} {BenchPayloads.Label(options.RssBodyBytes),-8} {options.RssRequests} requests, {which}, in {seconds:0.0} s = {r.Total.Succeeded / seconds:0} req/s, p50 {s.P50:0.000} ms, p99 {s.P99:0.000} ms, errors {s.Errors}"));
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"rss phase memory   at start {before.RssMb:0.0} MB; after each 10% [{string.Join(' ', curve)}] MB; 2 s after {settled}; data dir {measured.DataBytes() / 1048576.0:0.0} MB"));
            verdicts.Add(BenchReport.Verdict($"peak RSS ≤ {TargetRssMb:0} MB after {options.RssRequests} requests ({which})", settled.PeakMb <= TargetRssMb, $"{settled.PeakMb:0.0} MB"));
        }

        // 5. Results.
        foreach (var line in gateway.FirstOutput)
        {
            log.WriteLine("gateway output: " + line);
        }

        BenchReport.Write("passthrough",
            [
                $"load avg at start {loadAtStart}; bench GC: {(GCSettings.IsServerGC ? "server" : "workstation")}",
                $"gateway: {gateway.Description}; {gateway.OutputLines} output lines{(gateway.HasExited ? "; EXITED" : "")}",
                $"upstream: Kestrel on loopback, reads the whole body, answers {BenchPayloads.Response.Length} B Anthropic JSON, or for \"stream\": true {AgentPayloads.StreamHead.Length} B message_start, a {ScriptedUpstream.StreamPause.TotalMilliseconds:0} ms pause, {AgentPayloads.StreamTail.Length} B of events",
                $"client: one HttpClient, keep-alive; times in ms to the last response byte (ttfb: to the first); settings: warmup {options.Warmup}, requests {options.Requests} (stream {options.StreamWarmup}/{options.StreamRequests}), c={options.Concurrency}, {options.Slices} slices of {options.SliceSeconds} s per target",
            ],
            "phase              body       n(A/B)          direct p50 / p99     gateway p50 / p99    added p50 / p99      ratio p50 / p99   req/s A / B         errors A / B",
            rows, verdicts);
        return 0;
    }

    private static string Row(string phase, int size, LatencyStats a, LatencyStats b, double rpsB, long errorsA, long errorsB, double rpsA = double.NaN) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{phase,-18} {BenchPayloads.Label(size),-10} {a.Count + "/" + b.Count,-15} {a.P50,8:0.000} / {a.P99,-8:0.000}  {b.P50,8:0.000} / {b.P99,-8:0.000}  {b.P50 - a.P50,8:0.000} / {b.P99 - a.P99,-8:0.000}  {b.P50 / a.P50,6:0.00} / {b.P99 / a.P99,-6:0.00}  {Rate(rpsA),7} / {Rate(rpsB),-8}  {errorsA} / {errorsB}");

    private static string Rate(double perSecond) => double.IsNaN(perSecond) ? "-" : perSecond.ToString("0", CultureInfo.InvariantCulture);

    /// <summary>What the upstream received from the gateway in a phase; a body the gateway changed is called out (nothing here is compressible).</summary>
    private static string Forwarded(string phase)
    {
        var tally = UpstreamTally.For(phase);
        return tally + (tally.Same == tally.Requests ? "" : " (NOT the plain path: the gateway changed bodies)");
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Headroom.Gateway.sln")))
            {
                return dir.FullName;
            }
        }

        return Environment.CurrentDirectory;
    }
}
