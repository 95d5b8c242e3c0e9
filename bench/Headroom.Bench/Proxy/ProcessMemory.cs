using System.Globalization;

namespace Headroom.Bench.Proxy;

/// <summary>
/// Memory of a process from /proc/PID/status (Linux): current RSS (VmRSS), its anonymous and
/// file-backed parts (RssAnon: heaps and stacks; RssFile: mapped assemblies and runtime, mostly
/// shared), peak RSS (VmHWM) and thread count.
/// </summary>
internal readonly record struct ProcessMemory(double RssMb, double PeakMb, double AnonMb, double FileMb, int Threads)
{
    public static ProcessMemory Read(int pid)
    {
        double rss = double.NaN, peak = double.NaN, anon = double.NaN, file = double.NaN;
        var threads = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }

                var value = line.AsSpan(colon + 1).Trim();
                switch (line[..colon])
                {
                    case "VmRSS": rss = Megabytes(value); break;
                    case "VmHWM": peak = Megabytes(value); break;
                    case "RssAnon": anon = Megabytes(value); break;
                    case "RssFile": file = Megabytes(value); break;
                    case "Threads": threads = int.Parse(value, CultureInfo.InvariantCulture); break;
                }
            }
        }
        catch (IOException)
        {
            // The process is gone (or this is not Linux): report NaN rather than fail the run.
        }

        return new ProcessMemory(rss, peak, anon, file, threads);
    }

    private static double Megabytes(ReadOnlySpan<char> kilobytes) =>
        long.Parse(kilobytes.TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) / 1024.0;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"RSS {RssMb:0.0} MB (anon {AnonMb:0.0}, file {FileMb:0.0}), peak (VmHWM) {PeakMb:0.0} MB, {Threads} threads");
}
