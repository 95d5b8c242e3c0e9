using System.Diagnostics;
using Headroom.Compressors.Budget;

namespace Headroom.Bench.Evaluation;

/// <summary>
/// CPU time of the calling thread in milliseconds (the clock the compression budget counts), so timings
/// on a shared, overloaded machine measure work rather than waiting for a core. Falls back to wall-clock
/// time elsewhere.
/// </summary>
internal static class ThreadCpuTime
{
    public static bool Available => ThreadCpuClock.IsSupported;

    public static double NowMs() => Available
        ? ThreadCpuClock.Now().TotalMilliseconds
        : Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency;

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
