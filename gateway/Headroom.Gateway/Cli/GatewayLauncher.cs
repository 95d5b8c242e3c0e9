using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Headroom.Gateway.Hosting;

namespace Headroom.Gateway.Cli;

/// <summary>
/// Finds the gateway on its configured address, or starts <c>headroom proxy</c> there in the background
/// (its own session, output to <c>DATADIR/gateway.log</c>, pid in <c>DATADIR/gateway.pid</c>) and waits
/// until <c>/healthz</c> answers. A gateway it starts keeps running after the agent exits, for the next one.
/// </summary>
internal sealed class GatewayLauncher
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly HttpClient _http;

    public GatewayLauncher(HttpClient http) => _http = http;

    /// <summary>Null when it is up (started is the pid of a gateway started here); otherwise what went wrong.</summary>
    public async Task<(string? Error, int? Started)> EnsureAsync(string baseUrl, GatewayOptions options, CancellationToken cancellationToken)
    {
        // 1. Someone listening: a Headroom gateway, or something else on the port.
        switch (await ProbeAsync(baseUrl, cancellationToken).ConfigureAwait(false))
        {
            case Probe.Headroom:
                return (null, null);
            case Probe.Foreign:
                return ($"{baseUrl} answers, but not as a Headroom gateway (no /healthz status). Free the port or give another one with --port / Headroom:Port.", null);
        }

        // 2. Nobody: start `headroom proxy` on that address, detached from this terminal.
        var uri = new Uri(baseUrl);
        var dataDirectory = options.ResolvedDataDirectory;
        Directory.CreateDirectory(dataDirectory);
        var log = Path.Combine(dataDirectory, "gateway.log");
        var start = SelfStart(log);
        start.ArgumentList.Add("proxy");
        start.ArgumentList.Add("--host");
        start.ArgumentList.Add(uri.Host.Trim('[', ']'));
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(uri.Port.ToString(CultureInfo.InvariantCulture));
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return ($"cannot start the gateway ({start.FileName}: {e.Message}). Start it yourself with `headroom proxy`.", null);
        }

        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "gateway.pid"), process.Id.ToString(CultureInfo.InvariantCulture) + "\n", cancellationToken).ConfigureAwait(false);

        // 3. Wait for /healthz; a gateway that exits (bad configuration, port taken) shows its log.
        var deadline = Stopwatch.GetTimestamp() + (long)(StartTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
            {
                return ($"the gateway exited with code {process.ExitCode} while starting. Its log ({log}) ends with:\n{Tail(log)}", null);
            }

            if (await ProbeAsync(baseUrl, cancellationToken).ConfigureAwait(false) == Probe.Headroom)
            {
                return (null, process.Id);
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        return ($"the gateway (pid {process.Id}) did not answer {baseUrl}/healthz within {StartTimeout.TotalSeconds:0} s; see {log}.", process.Id);
    }

    private enum Probe { Nobody, Headroom, Foreign }

    private async Task<Probe> ProbeAsync(string baseUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var response = await _http.GetAsync(baseUrl + "/healthz", timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("status", out _) && json.RootElement.TryGetProperty("version", out _) ? Probe.Headroom : Probe.Foreign;
        }
        catch (HttpRequestException)
        {
            return Probe.Nobody;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Probe.Foreign; // something accepted the connection and said nothing
        }
        catch (JsonException)
        {
            return Probe.Foreign;
        }
    }

    /// <summary>This same program (the apphost, or <c>dotnet headroom.dll</c>), with its output appended to the log.</summary>
    private static ProcessStartInfo SelfStart(string log)
    {
        var self = Environment.ProcessPath ?? "headroom";
        var viaDotnet = Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        var program = new List<string> { self };
        if (viaDotnet)
        {
            program.Add(typeof(GatewayLauncher).Assembly.Location);
        }

        if (OperatingSystem.IsWindows())
        {
            var direct = new ProcessStartInfo(program[0]) { UseShellExecute = false, CreateNoWindow = true };
            foreach (var arg in program.Skip(1))
            {
                direct.ArgumentList.Add(arg);
            }

            return direct;
        }

        // setsid: a Ctrl-C meant for the agent must not stop the gateway; sh redirects its output to
        // the log so nothing ties it to this process's pipes, then execs it (the pid stays the gateway's).
        var setsid = File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : null;
        var start = new ProcessStartInfo(setsid ?? "/bin/sh") { UseShellExecute = false };
        if (setsid is not null)
        {
            start.ArgumentList.Add("/bin/sh");
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("log=$1; shift; exec \"$@\" >>\"$log\" 2>&1 </dev/null");
        start.ArgumentList.Add("headroom-gateway");
        start.ArgumentList.Add(log);
        foreach (var arg in program)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static string Tail(string path)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 15)));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }
}
