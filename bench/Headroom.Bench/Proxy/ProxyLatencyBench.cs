using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;

namespace Headroom.Bench.Proxy;

/// <summary>
/// The gateway's added latency versus calling the scripted upstream directly (A = direct,
/// B = through the gateway, interleaved in one run), 2 KB and 200 KB bodies, sequential and concurrent;
/// requests/s through the gateway; the gateway's peak RSS after a 100k-request phase.
/// </summary>
internal static class ProxyLatencyBench
{
    private const double TargetAddedP50Ms = 0.4;
    private const double TargetAddedP99Ms = 2.0;
    private const double TargetRequestsPerSecond = 5_000;
    private const double TargetRssMb = 150;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ProxyBenchOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine("usage: " + ProxyBenchOptions.Usage);
            return 2;
        }

        var log = Console.Error;
        var loadAtStart = LoadAverage();
        await using var upstream = await ScriptedUpstream.StartAsync().ConfigureAwait(false);
        using var client = new LoadClient();
        var dll = options.GatewayDll ?? Path.Combine(RepositoryRoot(), "gateway", "Headroom.Gateway", "bin", "Release", "net10.0", "headroom.dll");
        await using var gateway = options.InProcess
            ? await GatewayUnderTest.StartInProcessAsync(upstream.Address).ConfigureAwait(false)
            : await GatewayUnderTest.StartProcessAsync(dll, upstream.Address, client.Http, options.GatewayEnvironment).ConfigureAwait(false);
        var direct = new Uri(upstream.Address, "v1/messages");
        var proxied = new Uri(gateway.Address, "v1/messages");
        var bench = new ClosedLoopRunner(client, options.Concurrency);
        var startMemory = gateway.Memory();
        log.WriteLine($"upstream {upstream.Address}, gateway {gateway.Address} ({gateway.Description}); {startMemory} at start");
        if (options.Scenario == "compressed-path")
        {
            return await CompressedPathBench.RunAsync(options, client, upstream.Address, gateway.Address, gateway.Description).ConfigureAwait(false);
        }

        var rows = new List<string>();
        var verdicts = new List<string>();
        var gatewayRequests = 0L;

        // 1. Sequential, interleaved A B A B ...: warm-up pairs, then measured pairs, per body size.
        foreach (var size in options.Sizes)
        {
            var content = LoadClient.Content(BenchPayloads.Request(size));
            var scratch = new byte[16 * 1024];
            var warmA = new LatencyRecorder(options.Warmup);
            var warmB = new LatencyRecorder(options.Warmup);
            for (var i = 0; i < options.Warmup; i++)
            {
                await client.SendAsync(direct, content, scratch, warmA).ConfigureAwait(false);
                await client.SendAsync(proxied, content, scratch, warmB).ConfigureAwait(false);
            }

            // The gateway forwarded the body untouched (nothing to compress): this phase measures plain forwarding.
            log.WriteLine($"sequential {BenchPayloads.Label(size)}: {size} B sent, {ScriptedUpstream.LastRequestBytes} B forwarded{(ScriptedUpstream.LastRequestBytes == size ? "" : " (NOT the plain path: the gateway changed the body)")}");
            var a = new LatencyRecorder(options.Requests);
            var b = new LatencyRecorder(options.Requests);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < options.Requests; i++)
            {
                await client.SendAsync(direct, content, scratch, a).ConfigureAwait(false);
                await client.SendAsync(proxied, content, scratch, b).ConfigureAwait(false);
            }

            var seconds = clock.Elapsed.TotalSeconds;
            gatewayRequests += options.Warmup + options.Requests;
            var (sa, sb) = (a.Stats(), b.Stats());
            rows.Add(Row("sequential c=1", size, sa, sb, double.NaN, sa.Errors + warmA.Errors, sb.Errors + warmB.Errors));
            verdicts.Add(Verdict($"sequential {BenchPayloads.Label(size)} added p50 ≤ {TargetAddedP50Ms} ms", sb.P50 - sa.P50 <= TargetAddedP50Ms, Ms(sb.P50 - sa.P50)));
            verdicts.Add(Verdict($"sequential {BenchPayloads.Label(size)} added p99 ≤ {TargetAddedP99Ms} ms", sb.P99 - sa.P99 <= TargetAddedP99Ms, Ms(sb.P99 - sa.P99)));
            ReportErrors(log, "sequential direct", a, warmA);
            ReportErrors(log, "sequential gateway", b, warmB);
            var own = await GatewayOwnViewAsync(client, gateway).ConfigureAwait(false);
            log.WriteLine($"sequential {BenchPayloads.Label(size)} done in {seconds:0.0} s; gateway's own view of its last 100: {own}; {gateway.Memory()}");
        }

        // 2. Concurrent: C workers, alternating A-only and B-only slices so background noise hits both.
        if (!options.SkipConcurrent)
        {
            foreach (var size in options.Sizes)
            {
                var body = BenchPayloads.Request(size);
                bench.Prepare(body);
                await bench.RunAsync(direct, new LatencyRecorder(1), TimeSpan.FromSeconds(1), long.MaxValue).ConfigureAwait(false);
                var warm = new LatencyRecorder(1);
                await bench.RunAsync(proxied, warm, TimeSpan.FromSeconds(1), long.MaxValue).ConfigureAwait(false);
                gatewayRequests += warm.Succeeded + warm.Errors;
                var slices = Math.Max(1, (int)Math.Round(options.DurationSeconds / (2 * options.SliceSeconds)));
                var capacity = (int)Math.Min(20_000_000, options.DurationSeconds / 2 * 60_000 + 1_000);
                var a = new LatencyRecorder(capacity);
                var b = new LatencyRecorder(capacity);
                double secondsA = 0, secondsB = 0;
                var cpuB = TimeSpan.Zero;
                for (var s = 0; s < slices; s++)
                {
                    secondsA += await bench.RunAsync(direct, a, TimeSpan.FromSeconds(options.SliceSeconds), long.MaxValue).ConfigureAwait(false);
                    var cpuBefore = ProcessCpu.Of(gateway.Pid);
                    secondsB += await bench.RunAsync(proxied, b, TimeSpan.FromSeconds(options.SliceSeconds), long.MaxValue).ConfigureAwait(false);
                    cpuB += ProcessCpu.Of(gateway.Pid) - cpuBefore;
                }

                var (sa, sb) = (a.Stats(), b.Stats());
                gatewayRequests += b.Succeeded + sb.Errors;
                var rpsA = a.Succeeded / secondsA;
                var rpsB = b.Succeeded / secondsB;
                rows.Add(Row($"concurrent c={options.Concurrency}", size, sa, sb, rpsB, sa.Errors, sb.Errors, rpsA));
                verdicts.Add(Verdict($"concurrent {BenchPayloads.Label(size)} ≥ {TargetRequestsPerSecond:0} req/s, 0 errors", rpsB >= TargetRequestsPerSecond && sb.Errors == 0, $"{rpsB:0} req/s, {sb.Errors} errors"));
                ReportErrors(log, "concurrent direct", a, null);
                ReportErrors(log, "concurrent gateway", b, null);
                log.WriteLine($"concurrent {BenchPayloads.Label(size)}: direct {sa.Count} in {secondsA:0.0} s, gateway {sb.Count} in {secondsB:0.0} s; {gateway.Memory()}");
                if (gateway.IsSeparateProcess)
                {
                    // The gateway process's CPU during its slices only, per request it served: steadier than req/s.
                    rows.Add(string.Create(CultureInfo.InvariantCulture,
                        $"gateway cpu       {BenchPayloads.Label(size),-10} {cpuB.TotalMilliseconds * 1000 / Math.Max(1, b.Succeeded + sb.Errors):0.0} µs per request ({cpuB.TotalSeconds:0.00} s CPU over {b.Succeeded + sb.Errors} requests in {secondsB:0.0} s = {cpuB.TotalSeconds / secondsB:0.00} cores)"));
                }
            }
        }

        // 3. In-process only: allocated bytes per request (B − A ≈ what the gateway allocates per request).
        if (options.InProcess && options.AllocRequests > 0)
        {
            using var sampler = new AllocationSampler();
            foreach (var size in options.Sizes)
            {
                var content = LoadClient.Content(BenchPayloads.Request(size));
                await Task.Delay(1_500).ConfigureAwait(false);
                sampler.Take();
                var perA = await AllocatedPerRequestAsync(client, direct, content, options.AllocRequests).ConfigureAwait(false);
                await Task.Delay(1_500).ConfigureAwait(false);
                var ticksA = sampler.Take();
                var perB = await AllocatedPerRequestAsync(client, proxied, content, options.AllocRequests).ConfigureAwait(false);
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
                rows.Add(string.Create(CultureInfo.InvariantCulture, $"alloc/request     {BenchPayloads.Label(size),-8} direct {perA:0} B, via gateway {perB:0} B, gateway's share ≈ {perB - perA:0} B (client+upstream+gateway in one process)"));
            }
        }

        // 4. Memory. The long-running gateway's peak covers everything above (200 KB bodies at C
        //    concurrency included); then a fresh gateway process gets exactly --rss-requests requests,
        //    so "peak RSS after 100k requests" means that alone.
        if (!options.SkipRss)
        {
            var whole = gateway.Memory();
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"gateway memory    after the phases above ({gatewayRequests} requests): {whole}; data dir {gateway.DataBytes() / 1048576.0:0.0} MB{(gateway.IsSeparateProcess ? "" : " [whole bench process]")}"));
            await using var fresh = gateway.IsSeparateProcess
                ? await GatewayUnderTest.StartProcessAsync(dll, upstream.Address, client.Http, options.GatewayEnvironment).ConfigureAwait(false)
                : null;
            var measured = fresh ?? gateway;
            var target = new Uri(measured.Address, "v1/messages");
            var before = measured.Memory();
            bench.Prepare(BenchPayloads.Request(options.RssBodyBytes));
            var r = new LatencyRecorder(options.RssRequests);

            // In ten chunks, so the RSS curve shows whether memory plateaus or keeps growing.
            var seconds = 0.0;
            var curve = new List<string>();
            for (long sent = 0, chunk = Math.Max(1, options.RssRequests / 10); sent < options.RssRequests; sent += chunk)
            {
                seconds += await bench.RunAsync(target, r, Timeout.InfiniteTimeSpan, Math.Min(chunk, options.RssRequests - sent)).ConfigureAwait(false);
                curve.Add(measured.Memory().RssMb.ToString("0", CultureInfo.InvariantCulture));
            }

            var s = r.Stats();
            await Task.Delay(2_000).ConfigureAwait(false);
            var settled = measured.Memory();
            ReportErrors(log, "rss phase gateway", r, null);
            var which = fresh is null ? "same gateway [whole bench process]" : $"fresh gateway pid {fresh.Pid}";
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"rss phase c={options.Concurrency,-4} {BenchPayloads.Label(options.RssBodyBytes),-8} {options.RssRequests} requests, {which}, in {seconds:0.0} s = {r.Succeeded / seconds:0} req/s, p50 {s.P50:0.000} ms, p99 {s.P99:0.000} ms, errors {s.Errors}"));
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"rss phase memory  at start {before.RssMb:0.0} MB; after each 10% [{string.Join(' ', curve)}] MB; 2 s after {settled}; data dir {measured.DataBytes() / 1048576.0:0.0} MB"));
            verdicts.Add(Verdict($"peak RSS ≤ {TargetRssMb:0} MB after {options.RssRequests} requests ({which})", settled.PeakMb <= TargetRssMb, $"{settled.PeakMb:0.0} MB"));
        }

        // 5. Results.
        var output = Console.Out;
        output.WriteLine();
        output.WriteLine($"proxy-latency  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  load avg at start {loadAtStart}, at end {LoadAverage()}  bench GC: {(GCSettings.IsServerGC ? "server" : "workstation")}");
        output.WriteLine($"gateway: {gateway.Description}; {gateway.OutputLines} output lines{(gateway.HasExited ? "; EXITED" : "")}");
        output.WriteLine($"upstream: Kestrel on loopback, reads the whole body, answers {BenchPayloads.Response.Length} B Anthropic JSON; client: one HttpClient, keep-alive; times in ms, full response read");
        output.WriteLine("phase             body       n(A/B)          direct p50 / p99     gateway p50 / p99    added p50 / p99      ratio p50 / p99   req/s A / B         errors A / B");
        foreach (var row in rows)
        {
            output.WriteLine(row);
        }

        foreach (var line in gateway.FirstOutput)
        {
            log.WriteLine("gateway output: " + line);
        }

        output.WriteLine("targets:");
        foreach (var verdict in verdicts)
        {
            output.WriteLine("  " + verdict);
        }

        return 0;
    }

    private static string Row(string phase, int size, LatencyStats a, LatencyStats b, double rpsB, long errorsA, long errorsB, double rpsA = double.NaN) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{phase,-17} {BenchPayloads.Label(size),-10} {a.Count + "/" + b.Count,-15} {a.P50,8:0.000} / {a.P99,-8:0.000}  {b.P50,8:0.000} / {b.P99,-8:0.000}  {b.P50 - a.P50,8:0.000} / {b.P99 - a.P99,-8:0.000}  {b.P50 / a.P50,6:0.00} / {b.P99 / a.P99,-6:0.00}  {Rate(rpsA),7} / {Rate(rpsB),-8}  {errorsA} / {errorsB}");

    private static string Rate(double perSecond) => double.IsNaN(perSecond) ? "-" : perSecond.ToString("0", CultureInfo.InvariantCulture);

    private static string Verdict(string what, bool met, string measured) => $"{(met ? "MET " : "MISS")} {what}: {measured}";

    private static string Ms(double ms) => string.Create(CultureInfo.InvariantCulture, $"{ms:0.000} ms");

    private static void ReportErrors(TextWriter log, string what, LatencyRecorder measured, LatencyRecorder? warm)
    {
        if (measured.Errors > 0 || warm?.Errors > 0)
        {
            log.WriteLine($"ERRORS {what}: {measured.Errors} measured, {warm?.Errors ?? 0} warm-up; first: {measured.FirstError ?? warm?.FirstError}");
        }
    }

    private static async Task<double> AllocatedPerRequestAsync(LoadClient client, Uri target, HttpContent content, int requests)
    {
        var scratch = new byte[16 * 1024];
        var sink = new LatencyRecorder(requests + 100);
        for (var i = 0; i < 100; i++)
        {
            await client.SendAsync(target, content, scratch, sink).ConfigureAwait(false);
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < requests; i++)
        {
            await client.SendAsync(target, content, scratch, sink).ConfigureAwait(false);
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)requests;
    }

    /// <summary>Median total and overhead the gateway itself recorded for its last 100 requests (GET /telemetry/summary).</summary>
    private static async Task<string> GatewayOwnViewAsync(LoadClient client, GatewayUnderTest gateway)
    {
        try
        {
            using var document = JsonDocument.Parse(await client.Http.GetByteArrayAsync(new Uri(gateway.Address, "telemetry/summary")).ConfigureAwait(false));
            var totals = new List<double>();
            var overheads = new List<double>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!property.Name.Equals("recent", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                foreach (var record in property.Value.EnumerateArray())
                {
                    foreach (var field in record.EnumerateObject())
                    {
                        if (field.Value.ValueKind == JsonValueKind.Number && field.Name.Equals("totalMs", StringComparison.OrdinalIgnoreCase))
                        {
                            totals.Add(field.Value.GetDouble());
                        }
                        else if (field.Value.ValueKind == JsonValueKind.Number && field.Name.Equals("overheadMs", StringComparison.OrdinalIgnoreCase))
                        {
                            overheads.Add(field.Value.GetDouble());
                        }
                    }
                }
            }

            totals.Sort();
            overheads.Sort();
            return totals.Count == 0
                ? "no recent records"
                : string.Create(CultureInfo.InvariantCulture, $"median totalMs {totals[totals.Count / 2]:0.000}, median overheadMs {(overheads.Count == 0 ? double.NaN : overheads[overheads.Count / 2]):0.000}");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException)
        {
            return "unavailable (" + e.Message + ")";
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
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
