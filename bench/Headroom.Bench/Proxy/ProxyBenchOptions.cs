using System.Globalization;

namespace Headroom.Bench.Proxy;

/// <summary>Command-line options of the <c>proxy-latency</c> suite.</summary>
internal sealed record ProxyBenchOptions
{
    public const string Usage =
        "proxy-latency [--scenario passthrough|agent-request|fresh-compression] [--port-base N]\n" +
        "              [--requests N=5000] [--warmup N=1000] [--concurrency C=200] [--duration S=20] [--slice S=2]\n" +
        "              [--rss-requests N=100000] [--rss-body BYTES=2048] [--sizes 2048,204800] [--stream-body BYTES=2048]\n" +
        "              [--gateway-dll PATH] [--gateway-env K=V]... [--in-process] [--alloc N=2000] [--skip-concurrent] [--skip-streaming] [--skip-rss]\n" +
        "scenarios (each interleaves the direct upstream A with the gateway in one run; targets print MET/MISS):\n" +
        "  passthrough        (default) requests with nothing to compress, --sizes bodies: sequential added p50/p99, req/s at C,\n" +
        "                     the --stream-body request with \"stream\": true (time to first byte, sequential and at C), RSS after --rss-requests\n" +
        "  agent-request      (also: compressed-path) a 47 KB Anthropic agent turn, five 8 KB tool outputs replayed compressed through\n" +
        "                     the retrieval loop (C) against the same shape with nothing to compress (B); JSON and streamed\n" +
        "  fresh-compression  every request carries a new 8-20 KB tool output (seeded, never replayed): compressed and stored (C)\n" +
        "                     against a new output with nothing to compress (B); added latency, req/s, gateway CPU, bytes forwarded";

    /// <summary>Measured sequential A/B pairs per body size.</summary>
    public int Requests { get; init; } = 5_000;

    /// <summary>Unmeasured sequential A/B pairs per body size before the measured ones.</summary>
    public int Warmup { get; init; } = 1_000;

    public int Concurrency { get; init; } = 200;

    /// <summary>Seconds of concurrent load per body size (half direct, half through the gateway).</summary>
    public double DurationSeconds { get; init; } = 20;

    /// <summary>Length of one concurrent slice: A and B alternate slice by slice so noise hits both.</summary>
    public double SliceSeconds { get; init; } = 2;

    public int RssRequests { get; init; } = 100_000;

    public int RssBodyBytes { get; init; } = 2_048;

    public IReadOnlyList<int> Sizes { get; init; } = [2_048, 204_800];

    public string? GatewayDll { get; init; }

    /// <summary>Extra environment for the gateway process (e.g. DOTNET_gcServer=0), to compare runtime settings.</summary>
    public IReadOnlyList<string> GatewayEnvironment { get; init; } = [];

    /// <summary>Host the gateway in this process (RSS is then the whole process, not the gateway's own).</summary>
    public bool InProcess { get; init; }

    /// <summary>In-process only: requests per target for the allocated-bytes-per-request count (0 = skip).</summary>
    public int AllocRequests { get; init; } = 2_000;

    public bool SkipConcurrent { get; init; }

    public bool SkipRss { get; init; }

    public ProxyScenario Scenario { get; init; } = ProxyScenario.Passthrough;

    /// <summary>Body of the streamed passthrough request (<c>"stream": true</c>).</summary>
    public int StreamBodyBytes { get; init; } = 2_048;

    public bool SkipStreaming { get; init; }

    /// <summary><c>-h</c> / <c>--help</c>: print <see cref="Usage"/> and run nothing.</summary>
    public bool Help { get; init; }

    /// <summary>Concurrent slices per target: <see cref="DurationSeconds"/> split half direct, half through the gateway.</summary>
    public int Slices => Math.Max(1, (int)Math.Round(DurationSeconds / (2 * SliceSeconds)));

    /// <summary>Measured sequential rounds of streamed requests (each waits out the upstream's pause): a fifth of <see cref="Requests"/>.</summary>
    public int StreamRequests => Math.Max(100, Requests / 5);

    public int StreamWarmup => Math.Max(50, Warmup / 5);

    private ProxyBenchOptions WithPortBase(int port)
    {
        BenchPorts.StartAt(port);
        return this;
    }

    public static ProxyBenchOptions? Parse(string[] args)
    {
        var options = new ProxyBenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            double NextDouble() => double.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--requests" => options with { Requests = NextInt() },
                "--warmup" => options with { Warmup = NextInt() },
                "--concurrency" => options with { Concurrency = NextInt() },
                "--duration" => options with { DurationSeconds = NextDouble() },
                "--slice" => options with { SliceSeconds = NextDouble() },
                "--rss-requests" => options with { RssRequests = NextInt() },
                "--rss-body" => options with { RssBodyBytes = NextInt() },
                "--sizes" => options with { Sizes = Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() },
                "--gateway-dll" => options with { GatewayDll = Next() },
                "--gateway-env" => options with { GatewayEnvironment = [.. options.GatewayEnvironment, Next()] },
                "--in-process" => options with { InProcess = true },
                "--alloc" => options with { AllocRequests = NextInt() },
                "--skip-concurrent" => options with { SkipConcurrent = true },
                "--skip-rss" => options with { SkipRss = true },
                "--port-base" => options.WithPortBase(NextInt()),
                "--stream-body" => options with { StreamBodyBytes = NextInt() },
                "--skip-streaming" => options with { SkipStreaming = true },
                "-h" or "--help" => options with { Help = true },
                "--scenario" => Next() switch
                {
                    "passthrough" => options with { Scenario = ProxyScenario.Passthrough },
                    "agent-request" or "compressed-path" => options with { Scenario = ProxyScenario.AgentRequest },
                    "fresh-compression" => options with { Scenario = ProxyScenario.FreshCompression },
                    _ => null,
                },
                _ => null,
            };
            if (options is null)
            {
                return null;
            }
        }

        return options;
    }
}
