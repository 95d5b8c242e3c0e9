using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Headroom.Bench.Proxy;

/// <summary>
/// <c>proxy-latency --scenario compressed-path</c>: what the compressed path (replayed compressed
/// outputs, the retrieve tool, the retrieval loop) costs against the same request shape with nothing to
/// compress (forwarded by YARP). Sequential added latency, requests/s at C connections, and the
/// time to the first streamed byte. Direct (A), nothing to compress (B) and compressed (C) interleave.
/// </summary>
internal static class CompressedPathBench
{
    private const double TargetAddedRatio = 2.0;
    private const double TargetThroughputShare = 0.60;
    private const double TargetTtfbAddedMs = 0.5;
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static async Task<int> RunAsync(ProxyBenchOptions options, LoadClient client, Uri upstream, Uri gateway, string description)
    {
        var log = Console.Error;
        var direct = new Uri(upstream, "v1/messages");
        var proxied = new Uri(gateway, "v1/messages");
        var plain = AgentPayloads.Request(compressible: false, stream: false);
        var compressible = AgentPayloads.Request(compressible: true, stream: false);
        var plainStream = AgentPayloads.Request(compressible: false, stream: true);
        var compressibleStream = AgentPayloads.Request(compressible: true, stream: true);
        var rows = new List<string>();
        var verdicts = new List<string>();
        var scratch = new byte[16 * 1024];

        // 0. The first request of each shape compresses (or decides to keep) its outputs; later ones replay.
        //    What reached the upstream shows which path each shape takes.
        var probe = new Probe(1);
        await SendAsync(client, proxied, Content(plain), false, scratch, probe).ConfigureAwait(false);
        var plainForwarded = ScriptedUpstream.LastRequestBytes;
        await SendAsync(client, proxied, Content(compressible), false, scratch, probe).ConfigureAwait(false);
        var compressedForwarded = ScriptedUpstream.LastRequestBytes;
        await SendAsync(client, proxied, Content(compressible), false, scratch, probe).ConfigureAwait(false);
        if (probe.Total.Errors > 0 || ScriptedUpstream.LastRequestBytes != compressedForwarded || compressedForwarded >= compressible.Length)
        {
            log.WriteLine($"the compressed shape was not compressed and replayed ({compressible.Length} B sent, {compressedForwarded} then {ScriptedUpstream.LastRequestBytes} B forwarded; {probe.Total.FirstError})");
            return 1;
        }

        ScriptedUpstream.CaptureNext();
        await SendAsync(client, proxied, Content(compressible), false, scratch, probe).ConfigureAwait(false);
        var compressedCarriesTool = ScriptedUpstream.Captured is { } withTool && withTool.AsSpan().IndexOf("\"headroom_retrieve\""u8) >= 0;
        ScriptedUpstream.CaptureNext();
        await SendAsync(client, proxied, Content(plain), false, scratch, probe).ConfigureAwait(false);
        var plainCarriesTool = ScriptedUpstream.Captured is not { } without || without.AsSpan().IndexOf("\"headroom_retrieve\""u8) >= 0;
        if (ScriptedUpstream.LastRequestBytes != plain.Length || plainCarriesTool || !compressedCarriesTool)
        {
            log.WriteLine($"the shapes did not take their paths: nothing-to-compress {plain.Length} B sent, {ScriptedUpstream.LastRequestBytes} B forwarded, retrieve tool added: {plainCarriesTool}; compressed shape's retrieve tool added: {compressedCarriesTool}");
            return 1;
        }

        var shapes = string.Create(CultureInfo.InvariantCulture,
            $"nothing to compress: {plain.Length} B sent, {plainForwarded} B forwarded; compressed: {compressible.Length} B sent, {compressedForwarded} B forwarded (5 replayed outputs of {AgentPayloads.OutputBytes} B, headroom_retrieve added, so the retrieval loop serves it)");
        log.WriteLine(shapes);

        // 1. Sequential, interleaved A B C A B C ...
        {
            var targets = new[] { (direct, Content(plain)), (proxied, Content(plain)), (proxied, Content(compressible)) };
            var measured = await SequentialAsync(client, targets, false, options.Warmup, options.Requests, scratch).ConfigureAwait(false);
            var (a, b, c) = (measured[0].Total.Stats(), measured[1].Total.Stats(), measured[2].Total.Stats());
            rows.Add(Row("sequential c=1", "JSON total", a, b, c));
            var ratio = (c.P50 - a.P50) / (b.P50 - a.P50);
            verdicts.Add(Verdict($"compressed added p50 ≤ {TargetAddedRatio:0}× nothing-to-compress added p50", ratio <= TargetAddedRatio,
                string.Create(CultureInfo.InvariantCulture, $"{c.P50 - a.P50:0.000} ms vs {b.P50 - a.P50:0.000} ms = {ratio:0.00}×")));
            Errors(log, "sequential", measured);
        }

        // 2. Concurrent: C workers, slices of B and C alternating (A once for reference).
        if (!options.SkipConcurrent)
        {
            var slices = Math.Max(1, (int)Math.Round(options.DurationSeconds / (2 * options.SliceSeconds)));
            var capacity = (int)Math.Min(20_000_000, options.DurationSeconds * 30_000 + 1_000);
            var recorders = new[] { new Probe(capacity), new Probe(capacity), new Probe(capacity) };
            var seconds = new double[3];
            await ConcurrentAsync(client, direct, plain, false, options.Concurrency, new Probe(capacity), TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            await ConcurrentAsync(client, proxied, plain, false, options.Concurrency, new Probe(capacity), TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            await ConcurrentAsync(client, proxied, compressible, false, options.Concurrency, new Probe(capacity), TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            seconds[0] = await ConcurrentAsync(client, direct, plain, false, options.Concurrency, recorders[0], TimeSpan.FromSeconds(options.SliceSeconds)).ConfigureAwait(false);
            for (var s = 0; s < slices; s++)
            {
                seconds[1] += await ConcurrentAsync(client, proxied, plain, false, options.Concurrency, recorders[1], TimeSpan.FromSeconds(options.SliceSeconds)).ConfigureAwait(false);
                seconds[2] += await ConcurrentAsync(client, proxied, compressible, false, options.Concurrency, recorders[2], TimeSpan.FromSeconds(options.SliceSeconds)).ConfigureAwait(false);
            }

            var rps = recorders.Select((r, i) => r.Total.Succeeded / seconds[i]).ToArray();
            var (a, b, c) = (recorders[0].Total.Stats(), recorders[1].Total.Stats(), recorders[2].Total.Stats());
            rows.Add(Row($"concurrent c={options.Concurrency}", "JSON total", a, b, c) + string.Create(CultureInfo.InvariantCulture, $"  req/s {rps[0]:0} / {rps[1]:0} / {rps[2]:0}"));
            var share = rps[2] / rps[1];
            verdicts.Add(Verdict($"compressed req/s at c={options.Concurrency} ≥ {TargetThroughputShare:P0} of nothing-to-compress", share >= TargetThroughputShare && c.Errors == 0,
                string.Create(CultureInfo.InvariantCulture, $"{rps[2]:0} vs {rps[1]:0} req/s = {share:P0}, {c.Errors} errors")));
            Errors(log, "concurrent", recorders);
        }

        // 3. Streaming, sequential: time to the first body byte (the upstream sends message_start,
        //    pauses, then the rest), and the whole stream.
        {
            var targets = new[] { (direct, Content(plainStream)), (proxied, Content(plainStream)), (proxied, Content(compressibleStream)) };
            var n = Math.Max(100, options.Requests / 5);
            var measured = await SequentialAsync(client, targets, true, Math.Max(50, options.Warmup / 5), n, scratch).ConfigureAwait(false);
            var (a, b, c) = (measured[0].FirstByte.Stats(), measured[1].FirstByte.Stats(), measured[2].FirstByte.Stats());
            rows.Add(Row("streaming c=1", "SSE TTFB", a, b, c));
            rows.Add(Row("streaming c=1", "SSE total", measured[0].Total.Stats(), measured[1].Total.Stats(), measured[2].Total.Stats()));
            verdicts.Add(Verdict($"compressed streaming TTFB p50 added ≤ {TargetTtfbAddedMs} ms over nothing-to-compress", c.P50 - b.P50 <= TargetTtfbAddedMs,
                string.Create(CultureInfo.InvariantCulture, $"{c.P50 - b.P50:0.000} ms (over direct: {c.P50 - a.P50:0.000} ms; nothing-to-compress over direct: {b.P50 - a.P50:0.000} ms)")));
            Errors(log, "streaming", measured);
        }

        // 3b. Streaming at C connections: what relaying each event costs the gateway's CPU.
        if (!options.SkipConcurrent)
        {
            var slices = Math.Max(1, (int)Math.Round(options.DurationSeconds / (2 * options.SliceSeconds)));
            var capacity = (int)Math.Min(20_000_000, options.DurationSeconds * 30_000 + 1_000);
            var recorders = new[] { new Probe(capacity), new Probe(capacity), new Probe(capacity) };
            var seconds = new double[3];
            await ConcurrentAsync(client, proxied, plainStream, true, options.Concurrency, new Probe(capacity), TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            await ConcurrentAsync(client, proxied, compressibleStream, true, options.Concurrency, new Probe(capacity), TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            seconds[0] = await ConcurrentAsync(client, direct, plainStream, true, options.Concurrency, recorders[0], TimeSpan.FromSeconds(options.SliceSeconds)).ConfigureAwait(false);
            for (var s = 0; s < slices; s++)
            {
                seconds[1] += await ConcurrentAsync(client, proxied, plainStream, true, options.Concurrency, recorders[1], TimeSpan.FromSeconds(options.SliceSeconds)).ConfigureAwait(false);
                seconds[2] += await ConcurrentAsync(client, proxied, compressibleStream, true, options.Concurrency, recorders[2], TimeSpan.FromSeconds(options.SliceSeconds)).ConfigureAwait(false);
            }

            var rps = recorders.Select((r, i) => r.Total.Succeeded / seconds[i]).ToArray();
            rows.Add(Row($"concurrent c={options.Concurrency}", "SSE total", recorders[0].Total.Stats(), recorders[1].Total.Stats(), recorders[2].Total.Stats())
                + string.Create(CultureInfo.InvariantCulture, $"  req/s {rps[0]:0} / {rps[1]:0} / {rps[2]:0}"));
            rows.Add(Row($"concurrent c={options.Concurrency}", "SSE TTFB", recorders[0].FirstByte.Stats(), recorders[1].FirstByte.Stats(), recorders[2].FirstByte.Stats()));
            var share = rps[2] / rps[1];
            verdicts.Add(Verdict($"compressed streaming req/s at c={options.Concurrency} ≥ {TargetThroughputShare:P0} of nothing-to-compress", share >= TargetThroughputShare && recorders[2].Total.Errors == 0,
                string.Create(CultureInfo.InvariantCulture, $"{rps[2]:0} vs {rps[1]:0} req/s = {share:P0}, {recorders[2].Total.Errors} errors")));
            Errors(log, "concurrent streaming", recorders);
        }

        // 4. In-process only: bytes allocated per request (client, upstream and gateway share the process,
        //    so C − B is what the compressed path allocates beyond the forwarder).
        if (options.InProcess && options.AllocRequests > 0)
        {
            foreach (var (stream, label) in new[] { (false, "JSON alloc/req"), (true, "SSE alloc/req") })
            {
                var perB = await AllocatedPerRequestAsync(client, proxied, Content(stream ? plainStream : plain), stream, options.AllocRequests).ConfigureAwait(false);
                var perC = await AllocatedPerRequestAsync(client, proxied, Content(stream ? compressibleStream : compressible), stream, options.AllocRequests).ConfigureAwait(false);
                rows.Add(string.Create(CultureInfo.InvariantCulture, $"in-process c=1    {label,-12} B {perB:0} B, C {perC:0} B, C − B = {perC - perB:0} B"));
            }
        }

        var output = Console.Out;
        output.WriteLine();
        output.WriteLine($"proxy-latency --scenario compressed-path  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  load avg {LoadAverage()}");
        output.WriteLine($"gateway: {description}");
        output.WriteLine(shapes);
        output.WriteLine("A = direct, B = gateway, nothing to compress (YARP), C = gateway, compressed path (retrieval loop); ms");
        output.WriteLine("phase             measure      n(A/B/C)              A p50 / p99        B p50 / p99        C p50 / p99        added p50 B / C");
        foreach (var row in rows)
        {
            output.WriteLine(row);
        }

        output.WriteLine("targets:");
        foreach (var verdict in verdicts)
        {
            output.WriteLine("  " + verdict);
        }

        return 0;
    }

    private sealed class Probe(int capacity)
    {
        public LatencyRecorder Total { get; } = new(capacity);
        public LatencyRecorder FirstByte { get; } = new(capacity);
    }

    /// <summary>Each shape is its own session (Claude Code's session header): a session that was sent a
    /// marker gets the retrieve tool on every later request, which would put the plain shape on the loop too.</summary>
    private static HttpContent Content(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        content.Headers.ContentLength = body.Length;
        Sessions.Add(content, body.AsSpan().IndexOf("Project0/File"u8) >= 0 ? "bench-compressed" : "bench-plain");
        return content;
    }

    private static async Task<double> AllocatedPerRequestAsync(LoadClient client, Uri target, HttpContent content, bool stream, int requests)
    {
        var scratch = new byte[16 * 1024];
        var sink = new Probe(requests + 100);
        for (var i = 0; i < 100; i++)
        {
            await SendAsync(client, target, content, stream, scratch, sink).ConfigureAwait(false);
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < requests; i++)
        {
            await SendAsync(client, target, content, stream, scratch, sink).ConfigureAwait(false);
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)requests;
    }

    private static async Task<Probe[]> SequentialAsync(LoadClient client, (Uri Target, HttpContent Content)[] targets, bool stream, int warmup, int requests, byte[] scratch)
    {
        var warm = new Probe(warmup + 1);
        for (var i = 0; i < warmup; i++)
        {
            foreach (var (target, content) in targets)
            {
                await SendAsync(client, target, content, stream, scratch, warm).ConfigureAwait(false);
            }
        }

        var probes = targets.Select(_ => new Probe(requests)).ToArray();
        for (var i = 0; i < requests; i++)
        {
            for (var t = 0; t < targets.Length; t++)
            {
                await SendAsync(client, targets[t].Target, targets[t].Content, stream, scratch, probes[t]).ConfigureAwait(false);
            }
        }

        return probes;
    }

    private static async Task<double> ConcurrentAsync(LoadClient client, Uri target, byte[] body, bool stream, int concurrency, Probe probe, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                var content = Content(body);
                var scratch = new byte[16 * 1024];
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    await SendAsync(client, target, content, stream, scratch, probe).ConfigureAwait(false);
                }
            });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>One request: records the time to the first body byte and to the end of the body.</summary>
    private static async Task SendAsync(LoadClient client, Uri target, HttpContent content, bool stream, byte[] scratch, Probe probe)
    {
        await SendAsync(client, target, content, SessionOf(content), stream, scratch, probe).ConfigureAwait(false);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<HttpContent, string> Sessions = [];

    private static string SessionOf(HttpContent content) => Sessions.TryGetValue(content, out var session) ? session : "bench-plain";

    private static async Task SendAsync(LoadClient client, Uri target, HttpContent content, string session, bool stream, byte[] scratch, Probe probe)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
            request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-bench-0000");
            request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
            request.Headers.TryAddWithoutValidation("X-Claude-Code-Session-Id", session);
            if (stream)
            {
                request.Headers.TryAddWithoutValidation("x-bench-reply", "sse");
            }

            using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var total = 0;
            var firstByte = 0.0;
            int read;
            while ((read = await body.ReadAsync(scratch).ConfigureAwait(false)) > 0)
            {
                if (total == 0)
                {
                    firstByte = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }

                total += read;
            }

            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var expected = stream ? AgentPayloads.StreamLength : BenchPayloads.Response.Length;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                probe.Total.Fail($"HTTP {(int)response.StatusCode} from {target}");
            }
            else if (total != expected)
            {
                probe.Total.Fail($"{total} response bytes instead of {expected} from {target}");
            }
            else
            {
                probe.Total.Add(elapsed);
                probe.FirstByte.Add(firstByte);
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            probe.Total.Fail($"{e.GetType().Name}: {e.Message} {e.InnerException?.Message} ({target})");
        }
    }

    private static string Row(string phase, string measure, LatencyStats a, LatencyStats b, LatencyStats c) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{phase,-17} {measure,-12} {a.Count + "/" + b.Count + "/" + c.Count,-20} {a.P50,8:0.000} / {a.P99,-8:0.000} {b.P50,8:0.000} / {b.P99,-8:0.000} {c.P50,8:0.000} / {c.P99,-8:0.000} {b.P50 - a.P50,7:0.000} / {c.P50 - a.P50,-7:0.000}");

    private static string Verdict(string what, bool met, string measured) => $"{(met ? "MET " : "MISS")} {what}: {measured}";

    private static void Errors(TextWriter log, string phase, Probe[] probes)
    {
        foreach (var (probe, name) in probes.Zip(new[] { "direct", "nothing to compress", "compressed" }))
        {
            if (probe.Total.Errors > 0)
            {
                log.WriteLine($"ERRORS {phase} {name}: {probe.Total.Errors}; first: {probe.Total.FirstError}");
            }
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
}
