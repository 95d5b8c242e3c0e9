using System.Diagnostics;
using System.Globalization;

namespace Headroom.Bench.Evaluation;

/// <summary>
/// CPU time of the calling thread in milliseconds, from Linux's /proc/thread-self/schedstat (ns
/// resolution), so timings on a shared, overloaded machine measure work rather than waiting for a
/// core. Falls back to wall-clock time elsewhere.
/// </summary>
internal static class ThreadCpuTime
{
    private const string SchedStat = "/proc/thread-self/schedstat";

    public static bool Available { get; } = File.Exists(SchedStat);

    public static double NowMs()
    {
        if (!Available)
        {
            return Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency;
        }

        string text = File.ReadAllText(SchedStat);
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        return long.Parse(text.AsSpan(0, space < 0 ? text.Length : space), NumberStyles.Integer, CultureInfo.InvariantCulture) / 1e6;
    }

    /// <summary>Runs <paramref name="action"/> and returns (CPU ms, wall ms).</summary>
    public static (double Cpu, double Wall) Measure(Action action)
    {
        double c0 = NowMs();
        long w0 = Stopwatch.GetTimestamp();
        action();
        double wall = Stopwatch.GetElapsedTime(w0).TotalMilliseconds;
        return (NowMs() - c0, wall);
    }
}
