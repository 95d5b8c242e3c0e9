using System.Diagnostics;

namespace Headroom.Bench.Proxy;

/// <summary>
/// CPU time (user + system) a process has used so far. Divided by the requests served in between, it is
/// the stable figure on a shared box, where req/s moves with whatever else runs.
/// </summary>
internal static class ProcessCpu
{
    /// <summary>Total processor time of <paramref name="pid"/>; <see cref="TimeSpan.Zero"/> once it is gone.</summary>
    public static TimeSpan Of(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }
}
