using System.Globalization;

namespace Headroom.Bench.Soak;

/// <summary>Command-line options of the <c>soak</c> suite.</summary>
internal sealed record SoakOptions
{
    public const string Usage =
        "soak [--sessions N=50000] [--turns T=3] [--concurrency C=16] [--sample-every K=5000]\n" +
        "     [--plateau-mb MB=8] [--target-mb MB=150] [--gateway-dll PATH] [--gateway-env K=V]... [--port-base N]";

    /// <summary>Distinct sessions (each its own session id, tool names and outputs).</summary>
    public long Sessions { get; init; } = 50_000;

    /// <summary>Requests per session; request t carries t + 1 tool outputs (the newest is new).</summary>
    public int Turns { get; init; } = 3;

    /// <summary>Sessions in flight at once (each one's turns are sequential, as an agent's are).</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Requests between two memory samples.</summary>
    public long SampleEvery { get; init; } = 5_000;

    /// <summary>Plateau: the RSS trend over the second half of the run may rise at most this much.</summary>
    public double PlateauMb { get; init; } = 8;

    public double TargetMb { get; init; } = 150;

    public string? GatewayDll { get; init; }

    public IReadOnlyList<string> GatewayEnvironment { get; init; } = [];

    public int PortBase { get; init; }

    public static SoakOptions? Parse(string[] args)
    {
        var options = new SoakOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            long NextLong() => long.Parse(Next(), CultureInfo.InvariantCulture);
            double NextDouble() => double.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--sessions" => options with { Sessions = NextLong() },
                "--turns" => options with { Turns = (int)NextLong() },
                "--concurrency" => options with { Concurrency = (int)NextLong() },
                "--sample-every" => options with { SampleEvery = NextLong() },
                "--plateau-mb" => options with { PlateauMb = NextDouble() },
                "--target-mb" => options with { TargetMb = NextDouble() },
                "--gateway-dll" => options with { GatewayDll = Next() },
                "--gateway-env" => options with { GatewayEnvironment = [.. options.GatewayEnvironment, Next()] },
                "--port-base" => options with { PortBase = (int)NextLong() },
                _ => null,
            };
            if (options is null)
            {
                return null;
            }
        }

        return options.Sessions > 0 && options.Turns > 0 && options.Concurrency > 0 && options.SampleEvery > 0 ? options : null;
    }
}
