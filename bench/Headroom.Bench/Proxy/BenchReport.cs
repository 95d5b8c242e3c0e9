using System.Globalization;

namespace Headroom.Bench.Proxy;

/// <summary>How the proxy bench's scenarios print a target's verdict and the machine's load.</summary>
internal static class BenchReport
{
    public static string Verdict(string what, bool met, string measured) => $"{(met ? "MET " : "MISS")} {what}: {measured}";

    public static string Ms(double ms) => string.Create(CultureInfo.InvariantCulture, $"{ms:0.000} ms");

    /// <summary>The 1, 5 and 15 minute load averages (/proc/loadavg), "?" where there is none.</summary>
    public static string LoadAverage()
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

    /// <summary>The header of <see cref="AbcRow"/>: A = direct, B and C = two paths through the gateway.</summary>
    public const string AbcHeader = "phase             measure      n(A/B/C)              A p50 / p99        B p50 / p99        C p50 / p99        added p50 B / C";

    public static string AbcRow(string phase, string measure, LatencyStats a, LatencyStats b, LatencyStats c) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{phase,-17} {measure,-12} {a.Count + "/" + b.Count + "/" + c.Count,-20} {a.P50,8:0.000} / {a.P99,-8:0.000} {b.P50,8:0.000} / {b.P99,-8:0.000} {c.P50,8:0.000} / {c.P99,-8:0.000} {b.P50 - a.P50,7:0.000} / {c.P50 - a.P50,-7:0.000}");

    /// <summary>One line per target that failed requests (measured or warm-up), with the first failure.</summary>
    public static void Errors(TextWriter log, string phase, IReadOnlyList<string> names, Probe[] measured, Probe[]? warmup = null)
    {
        for (var t = 0; t < measured.Length; t++)
        {
            var warm = warmup?[t].Total;
            if (measured[t].Total.Errors > 0 || warm?.Errors > 0)
            {
                log.WriteLine($"ERRORS {phase} {names[t]}: {measured[t].Total.Errors} measured, {warm?.Errors ?? 0} warm-up; first: {measured[t].Total.FirstError ?? warm?.FirstError}");
            }
        }
    }

    /// <summary>A scenario's results on stdout: a title line (scenario, time, cores, load), the lines that say
    /// what ran, the table, then every target with its verdict.</summary>
    public static void Write(string scenario, IEnumerable<string> heading, string header, IEnumerable<string> rows, IEnumerable<string> verdicts)
    {
        var output = Console.Out;
        output.WriteLine();
        output.WriteLine($"proxy-latency --scenario {scenario}  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  load avg {LoadAverage()}");
        foreach (var line in heading.Append(header).Concat(rows))
        {
            output.WriteLine(line);
        }

        output.WriteLine("targets:");
        foreach (var verdict in verdicts)
        {
            output.WriteLine("  " + verdict);
        }
    }
}
