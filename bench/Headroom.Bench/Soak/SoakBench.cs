using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Headroom.Bench.Proxy;

namespace Headroom.Bench.Soak;

/// <summary>
/// Long-run memory of the real gateway process: N distinct sessions, each a few turns whose newest tool
/// output is new (distinct bytes, distinct tool name), against the scripted upstream on loopback. Every K
/// requests it samples the gateway's RSS (/proc, outside the gateway) and its GC heap (its /metrics), then
/// prints the curve and two verdicts: plateau (RSS growth over the second half below a threshold) and
/// peak RSS against the target.
/// </summary>
internal static class SoakBench
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static async Task<int> RunAsync(string[] args)
    {
        var options = SoakOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine("usage: " + SoakOptions.Usage);
            return 2;
        }

        if (options.PortBase > 0)
        {
            BenchPorts.StartAt(options.PortBase);
        }

        var log = Console.Error;
        await using var upstream = await ScriptedUpstream.StartAsync().ConfigureAwait(false);
        using var client = new LoadClient();
        var dll = options.GatewayDll ?? Path.Combine(ProxyLatencyBench.RepositoryRoot(), "gateway", "Headroom.Gateway", "bin", "Release", "net10.0", "headroom.dll");
        await using var gateway = await GatewayUnderTest.StartProcessAsync(dll, upstream.Address, client.Http, options.GatewayEnvironment).ConfigureAwait(false);
        var target = new Uri(gateway.Address, "v1/messages");
        var total = options.Sessions * options.Turns;
        log.WriteLine($"soak: {options.Sessions} sessions x {options.Turns} turns = {total} requests, {options.Concurrency} sessions at once, sample every {options.SampleEvery}; gateway {gateway.Description}");

        var clock = Stopwatch.StartNew();
        var samples = new List<SoakSample> { await SampleAsync(client.Http, gateway, 0, 0, clock).ConfigureAwait(false) };
        var sampling = new SemaphoreSlim(1, 1);
        long nextSession = -1, done = 0, sessionsDone = 0, errors = 0, sentBytes = 0;
        string? firstError = null;
        var workers = new Task[options.Concurrency];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                var scratch = new byte[16 * 1024];
                long session;
                while ((session = Interlocked.Increment(ref nextSession)) < options.Sessions)
                {
                    for (var turn = 0; turn < options.Turns; turn++)
                    {
                        var body = SoakPayloads.Request(session, turn);
                        Interlocked.Add(ref sentBytes, body.Length);
                        var error = await SendAsync(client.Http, target, SoakPayloads.SessionId(session), body, scratch).ConfigureAwait(false);
                        if (error is not null)
                        {
                            Interlocked.Increment(ref errors);
                            Interlocked.CompareExchange(ref firstError, error, null);
                        }

                        var count = Interlocked.Increment(ref done);
                        if (count % options.SampleEvery == 0 || count == total)
                        {
                            // One worker samples; the others keep the load on.
                            await sampling.WaitAsync().ConfigureAwait(false);
                            try
                            {
                                var sample = await SampleAsync(client.Http, gateway, count, Volatile.Read(ref sessionsDone), clock).ConfigureAwait(false);
                                lock (samples)
                                {
                                    samples.Add(sample);
                                }

                                log.WriteLine(Format(sample));
                            }
                            finally
                            {
                                sampling.Release();
                            }
                        }
                    }

                    Interlocked.Increment(ref sessionsDone);
                }
            });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        var loadSeconds = clock.Elapsed.TotalSeconds;
        await Task.Delay(2_000).ConfigureAwait(false);
        var settled = await SampleAsync(client.Http, gateway, done, sessionsDone, clock).ConfigureAwait(false);

        // Does the live zone compress these outputs? One more session's first turn, as the upstream saw it.
        var probe = SoakPayloads.Request(options.Sessions, 0);
        ScriptedUpstream.CaptureNext();
        var probeError = await SendAsync(client.Http, target, SoakPayloads.SessionId(options.Sessions), probe, new byte[16 * 1024]).ConfigureAwait(false);
        var forwarded = ScriptedUpstream.Captured?.Length ?? -1;

        samples.Sort((a, b) => a.Requests.CompareTo(b.Requests));
        var output = Console.Out;
        output.WriteLine();
        output.WriteLine($"soak  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  load avg {LoadAverage()}");
        output.WriteLine($"settings: sessions {options.Sessions}, turns {options.Turns} (request t carries t+1 tool outputs of ~{SoakPayloads.OutputBytes} B, the newest new), concurrency {options.Concurrency}, sample every {options.SampleEvery}, plateau threshold {options.PlateauMb} MB, target {options.TargetMb} MB");
        output.WriteLine($"gateway: {gateway.Description}; {gateway.OutputLines} output lines{(gateway.HasExited ? "; EXITED" : "")}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load: {done} requests ({sentBytes / 1048576.0:0} MB sent) in {loadSeconds:0.0} s = {done / loadSeconds:0} req/s, errors {errors}{(firstError is null ? "" : " (first: " + firstError + ")")}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"compression probe: a first turn of {probe.Length} B reached the upstream as {forwarded} B{(probeError is null ? "" : " (" + probeError + ")")}"));
        output.WriteLine("requests   sessions   seconds   RSS MB   anon MB   file MB   peak MB   GC heap MB   GC committed MB   GC frag MB   data dir MB   threads");
        foreach (var sample in samples)
        {
            output.WriteLine(Row(sample));
        }

        output.WriteLine(Row(settled) + "   (2 s after the load)");

        // Plateau: the least-squares trend of RSS over the samples of the second half, times that half's
        // length (one GC just before a sample cannot pass a rising curve off as flat, nor the reverse).
        var secondHalf = samples.Where(s => s.Requests >= total / 2).ToList();
        var rssGrowth = Trend(secondHalf, s => s.Memory.RssMb);
        var heapGrowth = Trend(secondHalf, s => s.Runtime.HeapMb);
        var half = secondHalf[0];
        var last = secondHalf[^1];
        var peak = settled.Memory.PeakMb;
        output.WriteLine("verdicts:");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {(rssGrowth <= options.PlateauMb ? "MET " : "MISS")} plateau: RSS trend from request {half.Requests} to {last.Requests} ({secondHalf.Count} samples) ≤ {options.PlateauMb} MB: {rssGrowth:+0.0;-0.0} MB (GC heap trend {heapGrowth:+0.0;-0.0} MB)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {(peak <= options.TargetMb ? "MET " : "MISS")} peak RSS (VmHWM) ≤ {options.TargetMb} MB over {done} requests: {peak:0.0} MB"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {(errors == 0 ? "MET " : "MISS")} no errors: {errors}"));
        foreach (var line in gateway.FirstOutput)
        {
            log.WriteLine("gateway output: " + line);
        }

        return 0;
    }

    /// <summary>Least-squares slope of <paramref name="value"/> against requests, times the requests spanned (NaN with fewer than 2 samples).</summary>
    internal static double Trend(IReadOnlyList<SoakSample> samples, Func<SoakSample, double> value)
    {
        if (samples.Count < 2)
        {
            return double.NaN;
        }

        double meanX = samples.Average(s => (double)s.Requests), meanY = samples.Average(value);
        double covariance = 0, variance = 0;
        foreach (var s in samples)
        {
            covariance += (s.Requests - meanX) * (value(s) - meanY);
            variance += (s.Requests - meanX) * (s.Requests - meanX);
        }

        return variance == 0 ? double.NaN : covariance / variance * (samples[^1].Requests - samples[0].Requests);
    }

    private static async Task<string?> SendAsync(HttpClient http, Uri target, string session, byte[] body, byte[] scratch)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = Json;
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
            request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-soak-0000");
            request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
            request.Headers.TryAddWithoutValidation("X-Claude-Code-Session-Id", session);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var length = 0;
            int read;
            while ((read = await stream.ReadAsync(scratch).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            return response.StatusCode != HttpStatusCode.OK ? $"HTTP {(int)response.StatusCode}"
                : length != BenchPayloads.Response.Length ? $"{length} response bytes instead of {BenchPayloads.Response.Length}"
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    private static async Task<SoakSample> SampleAsync(HttpClient http, GatewayUnderTest gateway, long requests, long sessions, Stopwatch clock)
    {
        var runtime = await RuntimeMetrics.ScrapeAsync(http, gateway.Address).ConfigureAwait(false);
        return new SoakSample(requests, sessions, clock.Elapsed.TotalSeconds, gateway.Memory(), runtime, gateway.DataBytes() / 1048576.0);
    }

    private static string Format(SoakSample s) =>
        string.Create(CultureInfo.InvariantCulture, $"soak: {s.Requests} requests, {s.Seconds:0} s: {s.Memory}; GC heap {s.Runtime.HeapMb:0.0} MB, committed {s.Runtime.CommittedMb:0.0} MB");

    private static string Row(SoakSample s) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{s.Requests,8}   {s.Sessions,8}   {s.Seconds,7:0}   {s.Memory.RssMb,6:0.0}   {s.Memory.AnonMb,7:0.0}   {s.Memory.FileMb,7:0.0}   {s.Memory.PeakMb,7:0.0}   {s.Runtime.HeapMb,10:0.0}   {s.Runtime.CommittedMb,15:0.0}   {s.Runtime.FragmentationMb,10:0.0}   {s.DataMb,11:0.0}   {s.Memory.Threads,7}");

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
