using System.Runtime.InteropServices;

namespace Headroom.Gateway.Hosting;

/// <summary>
/// The C heap under the managed one (SQLite's page caches and statements, TLS, the runtime's own native
/// allocations), on Linux with glibc. glibc gives each thread that contends for malloc an arena of its own,
/// up to eight per core, and keeps what is freed in each; on a thread-pool server that is tens of MB of
/// resident memory no one uses. Two arenas and a periodic trim keep it near what is live. Elsewhere (musl,
/// macOS, Windows) every call is a no-op.
/// </summary>
internal static partial class NativeHeap
{
    // glibc's mallopt parameter for the arena cap (malloc.h: #define M_ARENA_MAX -8).
    private const int ArenaMaxParameter = -8;

    public const int DefaultArenas = 2;

    /// <summary>Caps malloc arenas; call before the thread pool starts. False where glibc is not the C library.</summary>
    public static bool LimitArenas(int arenas = DefaultArenas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(arenas, 1);
        return Call(() => MallOpt(ArenaMaxParameter, arenas) == 1);
    }

    /// <summary>Returns freed C-heap memory to the system. False where that is not possible.</summary>
    public static bool Trim() => Call(() => MallocTrim(0) >= 0);

    private static bool Call(Func<bool> call)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return call();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // musl and others: no mallopt / malloc_trim.
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
