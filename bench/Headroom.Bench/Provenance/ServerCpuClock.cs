using System.Globalization;

namespace Headroom.Bench.Provenance;

/// <summary>
/// CPU time a local PostgreSQL server has used (Linux /proc): the postmaster's own time, the time of the
/// backends it has reaped (cutime, cstime) and of those still running. On a shared machine, wall-clock
/// throughput says little; client + server CPU per event says what the store costs.
/// </summary>
internal sealed class ServerCpuClock(int postmasterPid)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>The clock of the server a backend belongs to, or null when it is not on this machine.</summary>
    public static ServerCpuClock? ForBackend(int backendPid)
    {
        var stat = ReadStat(backendPid);
        return stat is null ? null : new ServerCpuClock(int.Parse(stat[3], CultureInfo.InvariantCulture));
    }

    public TimeSpan Read()
    {
        var ticks = 0L;
        if (ReadStat(postmasterPid) is { } own)
        {
            ticks += long.Parse(own[13], CultureInfo.InvariantCulture) + long.Parse(own[14], CultureInfo.InvariantCulture)
                + long.Parse(own[15], CultureInfo.InvariantCulture) + long.Parse(own[16], CultureInfo.InvariantCulture);
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && ReadStat(pid) is { } stat && stat[3] == postmasterPid.ToString(CultureInfo.InvariantCulture))
            {
                ticks += long.Parse(stat[13], CultureInfo.InvariantCulture) + long.Parse(stat[14], CultureInfo.InvariantCulture);
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Fields of /proc/PID/stat after the command name (index 0 = pid, 3 = parent pid, 13/14 = utime/stime, 15/16 = cutime/cstime).</summary>
    private static string[]? ReadStat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var close = text.LastIndexOf(')');
            return [text[..text.IndexOf(' ', StringComparison.Ordinal)], "comm", .. text[(close + 2)..].Split(' ')];
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
