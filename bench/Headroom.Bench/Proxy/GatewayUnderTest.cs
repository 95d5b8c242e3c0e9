using System.Diagnostics;
using System.Net;
using Headroom.Gateway.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Headroom.Bench.Proxy;

/// <summary>
/// The gateway being measured. By default a separate <c>dotnet headroom.dll proxy</c> process, so its
/// peak RSS is its own; with <c>--in-process</c>, <see cref="GatewayHost.Build"/> inside this process.
/// </summary>
internal sealed class GatewayUnderTest : IAsyncDisposable
{
    private readonly Process? _process;
    private readonly WebApplication? _app;
    private int _outputLines;
    private string? _lastOutput;
    private readonly List<string> _firstOutput = [];

    private GatewayUnderTest(Uri address, Process? process, WebApplication? app, string description, string dataDirectory)
    {
        DataDirectory = dataDirectory;
        Address = address;
        _process = process;
        _app = app;
        Description = description;
    }

    public Uri Address { get; }

    /// <summary>A fresh Headroom:DataDirectory per gateway (event store, spool), deleted afterwards:
    /// runs do not pollute ~/.headroom or inherit each other's backlog.</summary>
    public string DataDirectory { get; }

    /// <summary>Bytes the gateway has written to its data directory so far (store, WAL, spool).</summary>
    public long DataBytes()
    {
        try
        {
            return new DirectoryInfo(DataDirectory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public string Description { get; }

    public int Pid => _process?.Id ?? Environment.ProcessId;

    public bool IsSeparateProcess => _process is not null;

    /// <summary>Lines the gateway wrote to stdout/stderr (a per-request log line would show here).</summary>
    public int OutputLines => Volatile.Read(ref _outputLines);

    public string? LastOutput => Volatile.Read(ref _lastOutput);

    /// <summary>The first lines the gateway printed (startup banner; anything more is worth a look).</summary>
    public IReadOnlyList<string> FirstOutput
    {
        get
        {
            lock (_firstOutput)
            {
                return [.. _firstOutput];
            }
        }
    }

    public bool HasExited => _process?.HasExited ?? false;

    public ProcessMemory Memory() => ProcessMemory.Read(Pid);

    public static async Task<GatewayUnderTest> StartProcessAsync(string dll, Uri upstream, HttpClient probe, IReadOnlyList<string> environment)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"gateway not built: {dll} (run `dotnet build -c Release bench/Headroom.Bench`, or pass --gateway-dll / --in-process)", dll);
        }

        var port = BenchPorts.NextOrFree();
        var data = NewDataDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HEADROOM__DATADIRECTORY"] = data;
        foreach (var arg in (string[])[dll, "proxy", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--anthropic-upstream", upstream.ToString().TrimEnd('/'), "--openai-upstream", upstream.ToString().TrimEnd('/')])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var pair in environment)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            start.Environment[pair[..eq]] = pair[(eq + 1)..];
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var address = new Uri($"http://127.0.0.1:{port}/");
        var gateway = new GatewayUnderTest(address, process, null, $"separate process `dotnet {dll} proxy` pid {process.Id}{(environment.Count == 0 ? "" : " with " + string.Join(' ', environment))}", data);
        process.OutputDataReceived += (_, e) => gateway.Count(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Count(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"gateway exited with code {process.ExitCode} before answering /healthz; last output: {gateway.LastOutput}");
            }

            try
            {
                using var response = await probe.GetAsync(new Uri(address, "healthz")).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return gateway;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                await gateway.DisposeAsync().ConfigureAwait(false);
                throw new TimeoutException($"gateway did not answer /healthz within 60 s; last output: {gateway.LastOutput}");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    public static async Task<GatewayUnderTest> StartInProcessAsync(Uri upstream)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Headroom:Host"] = "127.0.0.1",
            ["Headroom:Port"] = BenchPorts.NextOrAny().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Headroom:DataDirectory"] = NewDataDirectory(),
            ["Headroom:Upstreams:Anthropic"] = upstream.ToString().TrimEnd('/'),
            ["Headroom:Upstreams:OpenAI"] = upstream.ToString().TrimEnd('/'),
        };
        var app = GatewayHost.Build(null, settings);
        await app.StartAsync().ConfigureAwait(false);
        return new GatewayUnderTest(app.BoundAddress(), null, app, "in-process GatewayHost.Build (RSS below is the whole bench process)", settings["Headroom:DataDirectory"]!);
    }

    private void Count(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (Interlocked.Increment(ref _outputLines) <= 20)
        {
            lock (_firstOutput)
            {
                _firstOutput.Add(line);
            }
        }

        Volatile.Write(ref _lastOutput, line);
    }

    private static string NewDataDirectory() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "headroom-bench-" + Guid.NewGuid().ToString("N")[..12])).FullName;

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }

            _process.Dispose();
        }

        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still held open stays behind in the temp directory.
        }
    }
}
