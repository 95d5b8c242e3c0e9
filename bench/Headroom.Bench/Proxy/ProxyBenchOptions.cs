using System.Globalization;

namespace Headroom.Bench.Proxy;

/// <summary>Command-line options of the <c>proxy-latency</c> suite.</summary>
internal sealed record ProxyBenchOptions
{
    public const string Usage =
        "proxy-latency [--requests N=5000] [--warmup N=1000] [--concurrency C=200] [--duration S=20] [--slice S=2]\n" +
        "              [--rss-requests N=100000] [--rss-body BYTES=2048] [--sizes 2048,204800]\n" +
        "              [--gateway-dll PATH] [--gateway-env K=V]... [--in-process] [--alloc N=2000] [--skip-concurrent] [--skip-rss] [--port-base N]\n" +
        "              [--scenario compressed-path] (the compressed path against the same shape with nothing to compress)";

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

    /// <summary>null: the default phases; <c>compressed-path</c>: <see cref="CompressedPathBench"/>.</summary>
    public string? Scenario { get; init; }

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
                "--scenario" => Next() is "compressed-path" ? options with { Scenario = "compressed-path" } : null,
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
