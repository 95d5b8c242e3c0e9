using System.Runtime.InteropServices;

namespace Headroom.Bench.Compressors;

/// <summary>
/// CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID). On a build machine shared by
/// many processes, wall time measures the scheduler; thread CPU time measures one core's work.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static bool IsSupported => OperatingSystem.IsLinux();

    public static TimeSpan Now()
    {
        if (clock_gettime(ClockThreadCpuTimeId, out var ts) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return TimeSpan.FromTicks((ts.Seconds * TimeSpan.TicksPerSecond) + (ts.Nanoseconds / 100));
    }

#pragma warning disable SYSLIB1054, CA5392 // LibraryImport needs unsafe code in this project; a blittable out struct needs no marshalling.
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int clock_gettime(int clockId, out Timespec value);
#pragma warning restore SYSLIB1054, CA5392

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
