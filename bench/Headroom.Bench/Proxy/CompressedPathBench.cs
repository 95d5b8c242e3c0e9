using System.Globalization;

namespace Headroom.Bench.Proxy;

/// <summary>
/// <c>proxy-latency --scenario agent-request</c> (formerly <c>compressed-path</c>): what the compressed
/// path (replayed compressed outputs, the retrieve tool, the retrieval loop) costs against the same request
/// shape with nothing to compress (forwarded by YARP). Sequential added latency, requests/s at C
/// connections, and the time to the first streamed byte. Direct (A), nothing to compress (B) and
/// compressed (C) interleave.
/// </summary>
internal static class CompressedPathBench
{
    private const double TargetAddedRatio = 2.0;
    private const double TargetThroughputShare = 0.60;
    private const double TargetTtfbAddedMs = 0.5;

    /// <summary>Each shape is its own session (Claude Code's session header): a session that was sent a
    /// marker gets the retrieve tool on every later request, which would put the plain shape on the loop too.</summary>
    private const string PlainSession = "bench-plain";
    private const string CompressedSession = "bench-compressed";
    private static readonly string[] Names = ["direct", "nothing to compress", "compressed"];

    public static async Task<int> RunAsync(ProxyBenchOptions options, LoadClient client, Uri upstream, GatewayUnderTest gateway)
    {
        var log = Console.Error;
        var direct = new Uri(upstream, "v1/messages");
        var proxied = new Uri(gateway.Address, "v1/messages");
        var plain = AgentPayloads.Request(compressible: false, stream: false);
        var compressible = AgentPayloads.Request(compressible: true, stream: false);
        var plainStream = AgentPayloads.Request(compressible: false, stream: true);
        var compressibleStream = AgentPayloads.Request(compressible: true, stream: true);
        RequestSource Plain(bool stream) => RequestSource.Fixed(() => new BenchContent(stream ? plainStream : plain, stream, PlainSession));
        RequestSource Compressible(bool stream) => RequestSource.Fixed(() => new BenchContent(stream ? compressibleStream : compressible, stream, CompressedSession));
        BenchTarget[] Targets(bool stream) => [new(direct, Plain(stream)), new(proxied, Plain(stream)), new(proxied, Compressible(stream))];
        var runner = new ClosedLoopRunner(client, options.Concurrency);
        var cpuPid = gateway.IsSeparateProcess ? gateway.Pid : (int?)null;
        var rows = new List<string>();
        var verdicts = new List<string>();

        // 0. The first request of each shape compresses (or decides to keep) its outputs; later ones replay.
        //    What reached the upstream shows which path each shape takes.
        var probe = new Probe(1);
        var scratch = new byte[16 * 1024];
        async Task<long> ForwardedAsync(byte[] body, string session)
        {
            using var content = new BenchContent(body, session: session);
            await client.SendAsync(proxied, content, scratch, probe).ConfigureAwait(false);
            return ScriptedUpstream.LastRequestBytes;
        }

        var plainForwarded = await ForwardedAsync(plain, PlainSession).ConfigureAwait(false);
        var compressedForwarded = await ForwardedAsync(compressible, CompressedSession).ConfigureAwait(false);
        var replayedForwarded = await ForwardedAsync(compressible, CompressedSession).ConfigureAwait(false);
        if (probe.Total.Errors > 0 || replayedForwarded != compressedForwarded || compressedForwarded >= compressible.Length)
        {
            log.WriteLine($"the compressed shape was not compressed and replayed ({compressible.Length} B sent, {compressedForwarded} then {replayedForwarded} B forwarded; {probe.Total.FirstError})");
            return 1;
        }

        ScriptedUpstream.CaptureNext();
        await ForwardedAsync(compressible, CompressedSession).ConfigureAwait(false);
        var compressedCarriesTool = ScriptedUpstream.Captured is { } withTool && withTool.AsSpan().IndexOf("\"headroom_retrieve\""u8) >= 0;
        ScriptedUpstream.CaptureNext();
        var plainAgain = await ForwardedAsync(plain, PlainSession).ConfigureAwait(false);
        var plainCarriesTool = ScriptedUpstream.Captured is not { } without || without.AsSpan().IndexOf("\"headroom_retrieve\""u8) >= 0;
        if (plainAgain != plain.Length || plainCarriesTool || !compressedCarriesTool)
        {
            log.WriteLine($"the shapes did not take their paths: nothing-to-compress {plain.Length} B sent, {plainAgain} B forwarded, retrieve tool added: {plainCarriesTool}; compressed shape's retrieve tool added: {compressedCarriesTool}");
            return 1;
        }

        var shapes = string.Create(CultureInfo.InvariantCulture,
            $"nothing to compress: {plain.Length} B sent, {plainForwarded} B forwarded; compressed: {compressible.Length} B sent, {compressedForwarded} B forwarded (5 replayed outputs of {AgentPayloads.OutputBytes} B, headroom_retrieve added, so the retrieval loop serves it)");
        log.WriteLine(shapes);
        var slices = options.Slices;
        var slice = TimeSpan.FromSeconds(options.SliceSeconds);

        // 1. Sequential, interleaved A B C A B C ...
        {
            var run = await InterleavedRunner.RunAsync(client, Targets(stream: false), options.Warmup, options.Requests).ConfigureAwait(false);
            var (a, b, c) = (run.Measured[0].Total.Stats(), run.Measured[1].Total.Stats(), run.Measured[2].Total.Stats());
            rows.Add(BenchReport.AbcRow("sequential c=1", "JSON total", a, b, c));
            var ratio = (c.P50 - a.P50) / (b.P50 - a.P50);
            verdicts.Add(BenchReport.Verdict($"compressed added p50 ≤ {TargetAddedRatio:0}× nothing-to-compress added p50", ratio <= TargetAddedRatio,
                string.Create(CultureInfo.InvariantCulture, $"{c.P50 - a.P50:0.000} ms vs {b.P50 - a.P50:0.000} ms = {ratio:0.00}×")));
            BenchReport.Errors(log, "sequential", Names, run.Measured, run.Warmup);
        }

        // 2. Concurrent: C workers, slices of B and C alternating (A once for reference).
        if (!options.SkipConcurrent)
        {
            var run = await runner.SlicedAsync(Targets(stream: false), slices, slice, cpuPid, firstOnce: true).ConfigureAwait(false);
            var (a, b, c) = (run.Probes[0].Total.Stats(), run.Probes[1].Total.Stats(), run.Probes[2].Total.Stats());
            rows.Add(BenchReport.AbcRow($"concurrent c={options.Concurrency}", "JSON total", a, b, c) + Rates(run));
            var share = run.RequestsPerSecond(2) / run.RequestsPerSecond(1);
            verdicts.Add(BenchReport.Verdict($"compressed req/s at c={options.Concurrency} ≥ {TargetThroughputShare:P0} of nothing-to-compress", share >= TargetThroughputShare && c.Errors == 0,
                string.Create(CultureInfo.InvariantCulture, $"{run.RequestsPerSecond(2):0} vs {run.RequestsPerSecond(1):0} req/s = {share:P0}, {c.Errors} errors")));
            BenchReport.Errors(log, "concurrent", Names, run.Probes);
        }

        // 3. Streaming, sequential: time to the first body byte (the upstream sends message_start,
        //    pauses, then the rest), and the whole stream.
        {
            var run = await InterleavedRunner.RunAsync(client, Targets(stream: true), options.StreamWarmup, options.StreamRequests).ConfigureAwait(false);
            var (a, b, c) = (run.Measured[0].FirstByte.Stats(), run.Measured[1].FirstByte.Stats(), run.Measured[2].FirstByte.Stats());
            rows.Add(BenchReport.AbcRow("streaming c=1", "SSE TTFB", a, b, c));
            rows.Add(BenchReport.AbcRow("streaming c=1", "SSE total", run.Measured[0].Total.Stats(), run.Measured[1].Total.Stats(), run.Measured[2].Total.Stats()));
            verdicts.Add(BenchReport.Verdict($"compressed streaming TTFB p50 added ≤ {TargetTtfbAddedMs} ms over nothing-to-compress", c.P50 - b.P50 <= TargetTtfbAddedMs,
                string.Create(CultureInfo.InvariantCulture, $"{c.P50 - b.P50:0.000} ms (over direct: {c.P50 - a.P50:0.000} ms; nothing-to-compress over direct: {b.P50 - a.P50:0.000} ms)")));
            BenchReport.Errors(log, "streaming", Names, run.Measured, run.Warmup);
        }

        // 3b. Streaming at C connections: what relaying each event costs the gateway's CPU.
        if (!options.SkipConcurrent)
        {
            var run = await runner.SlicedAsync(Targets(stream: true), slices, slice, cpuPid, firstOnce: true).ConfigureAwait(false);
            rows.Add(BenchReport.AbcRow($"concurrent c={options.Concurrency}", "SSE total", run.Probes[0].Total.Stats(), run.Probes[1].Total.Stats(), run.Probes[2].Total.Stats()) + Rates(run));
            rows.Add(BenchReport.AbcRow($"concurrent c={options.Concurrency}", "SSE TTFB", run.Probes[0].FirstByte.Stats(), run.Probes[1].FirstByte.Stats(), run.Probes[2].FirstByte.Stats()));
            var share = run.RequestsPerSecond(2) / run.RequestsPerSecond(1);
            verdicts.Add(BenchReport.Verdict($"compressed streaming req/s at c={options.Concurrency} ≥ {TargetThroughputShare:P0} of nothing-to-compress", share >= TargetThroughputShare && run.Probes[2].Total.Errors == 0,
                string.Create(CultureInfo.InvariantCulture, $"{run.RequestsPerSecond(2):0} vs {run.RequestsPerSecond(1):0} req/s = {share:P0}, {run.Probes[2].Total.Errors} errors")));
            BenchReport.Errors(log, "concurrent streaming", Names, run.Probes);
        }

        // 4. In-process only: bytes allocated per request (client, upstream and gateway share the process,
        //    so C − B is what the compressed path allocates beyond the forwarder).
        if (options.InProcess && options.AllocRequests > 0)
        {
            foreach (var (stream, label) in new[] { (false, "JSON alloc/req"), (true, "SSE alloc/req") })
            {
                using var plainContent = Plain(stream).Next();
                using var compressedContent = Compressible(stream).Next();
                var perB = await client.AllocatedPerRequestAsync(proxied, plainContent, options.AllocRequests).ConfigureAwait(false);
                var perC = await client.AllocatedPerRequestAsync(proxied, compressedContent, options.AllocRequests).ConfigureAwait(false);
                rows.Add(string.Create(CultureInfo.InvariantCulture, $"in-process c=1    {label,-12} B {perB:0} B, C {perC:0} B, C − B = {perC - perB:0} B"));
            }
        }

        BenchReport.Write("agent-request", [$"gateway: {gateway.Description}", shapes, "A = direct, B = gateway, nothing to compress (YARP), C = gateway, compressed path (retrieval loop); ms"],
            BenchReport.AbcHeader, rows, verdicts);
        return 0;
    }

    private static string Rates(SlicedResult run) =>
        string.Create(CultureInfo.InvariantCulture, $"  req/s {run.RequestsPerSecond(0):0} / {run.RequestsPerSecond(1):0} / {run.RequestsPerSecond(2):0}");
}
