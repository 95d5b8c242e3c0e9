using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Headroom.Provenance.Tests.Writing;

/// <summary>
/// A private PostgreSQL cluster that a test may stop and start without disturbing the shared one other
/// test classes (and projects) use. Built with the binaries scripts/test.sh exports as
/// HEADROOM_TEST_PG_BIN, with the same start options; run as user postgres when we are root
/// (initdb and postgres refuse to run as root).
/// </summary>
internal sealed class ThrowawayCluster : IDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly int _port;

    private ThrowawayCluster(string bin, string root, int port)
    {
        _bin = bin;
        _root = root;
        _port = port;
    }

    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Pooling=true;Timeout=3";

    private string Data => Path.Combine(_root, "data");

    public static ThrowawayCluster Create()
    {
        var bin = Environment.GetEnvironmentVariable("HEADROOM_TEST_PG_BIN") is { Length: > 0 } b
            ? b
            : throw new InvalidOperationException("HEADROOM_TEST_PG_BIN is not set. Run the tests through scripts/test.sh, or export HEADROOM_TEST_PG_BIN=/usr/lib/postgresql/15/bin.");
        var root = Path.Combine(Path.GetTempPath(), "headroom-pg-outage-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var cluster = new ThrowawayCluster(bin, root, FreePort());
        if (IsRoot)
        {
            Run("chown", $"-R postgres:postgres {root}");
        }

        cluster.AsPostgres($"'{bin}/initdb' -D '{cluster.Data}' -A trust -U postgres >/dev/null");
        cluster.Start();
        return cluster;
    }

    public void Start() =>
        AsPostgres($"'{_bin}/pg_ctl' -D '{Data}' -l '{_root}/log' -o \"-p {_port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off\" -w start >/dev/null");

    public void Stop() => AsPostgres($"'{_bin}/pg_ctl' -D '{Data}' -m fast -w stop >/dev/null");

    public void Dispose()
    {
        try
        {
            AsPostgres($"'{_bin}/pg_ctl' -D '{Data}' -m immediate stop >/dev/null 2>&1 || true");
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private void AsPostgres(string command)
    {
        if (IsRoot)
        {
            Run("su", $"postgres -s /bin/sh -c \"{command.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
        else
        {
            Run("/bin/sh", $"-c \"{command.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
    }

    private static void Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} exited {process.ExitCode}: {error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
