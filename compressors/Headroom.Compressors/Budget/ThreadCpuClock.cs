using System.Runtime.InteropServices;

namespace Headroom.Compressors.Budget;

/// <summary>
/// CPU time consumed by one thread (Linux: the thread's POSIX CPU-time clock). On a machine shared by
/// many processes, wall time measures the scheduler; thread CPU time measures the work itself.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && Probe();

    /// <summary>CPU time of the calling thread so far.</summary>
    public static TimeSpan Now() => Read(ClockThreadCpuTimeId);

    /// <summary>The clock of the calling thread, readable from any thread while this one lives.</summary>
    public static int CurrentThreadClock() =>
        pthread_getcpuclockid(pthread_self(), out var clock) == 0 ? clock : throw new InvalidOperationException("pthread_getcpuclockid failed.");

    public static TimeSpan Read(int clock)
    {
        if (clock_gettime(clock, out var ts) != 0)
        {
            throw new InvalidOperationException($"clock_gettime({clock}) failed.");
        }

        return TimeSpan.FromTicks((ts.Seconds * TimeSpan.TicksPerSecond) + (ts.Nanoseconds / 100));
    }

    private static bool Probe()
    {
        try
        {
            _ = Read(CurrentThreadClock());
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int clock_gettime(int clockId, out Timespec value);

    [LibraryImport("libc", EntryPoint = "pthread_self")]
    private static partial nuint pthread_self();

    [LibraryImport("libc", EntryPoint = "pthread_getcpuclockid")]
    private static partial int pthread_getcpuclockid(nuint thread, out int clockId);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
