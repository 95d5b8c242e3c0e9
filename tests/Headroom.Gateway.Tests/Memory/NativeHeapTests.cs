using System.Globalization;
using System.Runtime.InteropServices;
using Headroom.Gateway.Hosting;

namespace Headroom.Gateway.Tests.Memory;

/// <summary>
/// Reads the whole process's resident memory, so it runs alone: other tests allocating or freeing at the same
/// time would move the figure it checks.
/// </summary>
[CollectionDefinition(nameof(NativeHeapTests), DisableParallelization = true)]
public sealed class NativeHeapCollection;

[Collection(nameof(NativeHeapTests))]
public sealed partial class NativeHeapTests
{
    // glibc's mallopt parameter for the automatic trim of the heap top (malloc.h: #define M_TRIM_THRESHOLD -1).
    private const int TrimThresholdParameter = -1;
    private const int DefaultTrimThreshold = 128 * 1024;

    private const int Holes = 2048; // 128 MB: other threads of the process may reuse some of the holes before the trim
    private const int HoleBytes = 64 * 1024; // below glibc's mmap threshold: served from an arena, not mmap

    [Fact]
    public void Trim_ReturnsFreedArenaMemoryToTheSystem()
    {
        // The gateway ships on Linux with glibc (Debian): there the trim must work, so no skip.
        Assert.True(OperatingSystem.IsLinux(), "NativeHeap is a no-op off Linux; this test needs Linux with glibc");
        var ones = new byte[HoleBytes];
        Array.Fill(ones, (byte)1);

        // free() hands memory at the top of the heap back by itself once more than the trim threshold is free
        // there; where the blocks end up at the top, that would empty the heap before the trim under test runs.
        // Turned off for the test, so what is resident afterwards is what NativeHeap.Trim leaves.
        Assert.Equal(1, MallOpt(TrimThresholdParameter, int.MaxValue));
        var baseline = RssAnonMegabytes();

        // 128 MB of 64 KB blocks, each followed by a small one that stays: freeing the large ones leaves
        // holes in the middle of the heap, which glibc keeps resident until malloc_trim.
        var large = new nint[Holes];
        var pins = new nint[Holes];
        for (var i = 0; i < Holes; i++)
        {
            large[i] = Marshal.AllocHGlobal(HoleBytes); // malloc on Unix
            Marshal.Copy(ones, 0, large[i], HoleBytes);
            pins[i] = Marshal.AllocHGlobal(64);
        }

        try
        {
            foreach (var block in large)
            {
                Marshal.FreeHGlobal(block);
            }

            var freedButResident = RssAnonMegabytes();
            Assert.True(freedButResident - baseline >= 64, $"anonymous RSS {baseline:0.0} MB before the allocations, {freedButResident:0.0} MB after freeing them: the 128 MB were never resident, so the trim cannot be checked");
            Assert.True(NativeHeap.Trim());
            var trimmed = RssAnonMegabytes();

            Assert.True(freedButResident - trimmed >= 32, $"anonymous RSS {freedButResident:0.0} MB before the trim, {trimmed:0.0} MB after: the freed 128 MB stayed resident");
        }
        finally
        {
            foreach (var pin in pins)
            {
                Marshal.FreeHGlobal(pin);
            }

            MallOpt(TrimThresholdParameter, DefaultTrimThreshold);
        }
    }

    [Fact]
    public void LimitArenas_RejectsZero() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NativeHeap.LimitArenas(0));

    private static double RssAnonMegabytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                return long.Parse(line["RssAnon:".Length..].Trim().Replace(" kB", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        throw new InvalidOperationException("/proc/self/status has no RssAnon line");
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);
}
