using System.Net;
using System.Net.Sockets;

namespace Headroom.Bench.Proxy;

/// <summary>
/// Where the bench's listeners bind. By default any free loopback port; with <c>--port-base N</c> (or
/// <c>HEADROOM_BENCH_PORT_BASE=N</c>) successive ports from N, for machines where each user owns a port range.
/// </summary>
internal static class BenchPorts
{
    private static int _next = int.TryParse(Environment.GetEnvironmentVariable("HEADROOM_BENCH_PORT_BASE"), out var fromEnvironment) ? fromEnvironment : 0;

    /// <summary>Hands out successive ports from <paramref name="port"/> (0: any free port again).</summary>
    public static void StartAt(int port) => Volatile.Write(ref _next, port);

    /// <summary>The next port from the base, or 0 (let the listener choose) when there is no base.</summary>
    public static int NextOrAny()
    {
        if (Volatile.Read(ref _next) == 0)
        {
            return 0;
        }

        return Interlocked.Increment(ref _next) - 1;
    }

    /// <summary>A port a separate process can be told to bind: the next from the base, else a free one.</summary>
    public static int NextOrFree()
    {
        var port = NextOrAny();
        if (port != 0)
        {
            return port;
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
