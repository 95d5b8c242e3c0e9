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
public sealed class NativeHeapTests
{
    private const int Holes = 2048; // 128 MB: other threads of the process may reuse some of the holes before the trim
    private const int HoleBytes = 64 * 1024; // below glibc's mmap threshold: served from an arena, not mmap

    [Fact]
    public void Trim_ReturnsFreedArenaMemoryToTheSystem()
    {
        // The gateway ships on Linux with glibc (Debian): there the trim must work, so no skip.
        Assert.True(OperatingSystem.IsLinux(), "NativeHeap is a no-op off Linux; this test needs Linux with glibc");
        var ones = new byte[HoleBytes];
        Array.Fill(ones, (byte)1);

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
}
