using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Headroom.Gateway.Tests.Caching;
using Headroom.Gateway.Tests.Dashboard;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Cli;

/// <summary>
/// <c>headroom wrap</c> as a user runs it: the real binary, a real child process standing in for the agent
/// (a shell script that calls the gateway with curl), a gateway started in the background, a scripted provider.
/// </summary>
public sealed class WrapCommandTests : IDisposable
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "headroom.dll");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "headroom-wrap-" + Guid.NewGuid().ToString("N"));
    private readonly string _bin;

    public WrapCommandTests()
    {
        _bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(_bin);
    }

    [Fact]
    public async Task WrapClaude_StartsAGateway_RunsTheClientThroughIt_AndSummarisesWhatItDid()
    {
        Assert.True(File.Exists("/usr/bin/curl"), "curl is missing: the stand-in client calls the gateway with it (apt-get install -y curl).");
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always(DashboardTraffic.Path, UpstreamReply.Json(Requests.AnthropicReply(input: 500, output: 50, write5m: 2000)));
        var body = Path.Combine(_dir, "turn.json");
        await File.WriteAllTextAsync(body, DashboardTraffic.CompressedTurn(followUp: false));
        // The stand-in for Claude Code: reads ANTHROPIC_BASE_URL like the real one, sends one turn, exits 3.
        Script("claude", $$"""
            #!/bin/sh
            printf '%s\n' "$ANTHROPIC_BASE_URL" "$@" > '{{_dir}}/claude.seen'
            curl -sS -o /dev/null -w '%{http_code}\n' -H 'content-type: application/json' -H 'x-api-key: sk-wrap' -H 'anthropic-version: 2023-06-01' \
              --data-binary @'{{body}}' "$ANTHROPIC_BASE_URL/v1/messages" >> '{{_dir}}/claude.seen'
            exit 3
            """);
        var port = FreePort();
        var gateway = $"http://127.0.0.1:{port}";
        try
        {
            var first = await WrapAsync(upstream, port, "wrap", "claude", "--", "-p", "why did the job fail?");
            Assert.True(first.Code == 3, first.Stderr + first.Stdout); // the agent's exit code passes through
            Assert.Equal([gateway, "-p", "why did the job fail?", "200"], await File.ReadAllLinesAsync(Path.Combine(_dir, "claude.seen")));
            Assert.Single(upstream.Requests);
            Assert.Contains($"started by this command (pid {Pid()})", Flat(first.Stdout), StringComparison.Ordinal);

            using var summary = JsonDocument.Parse(await new HttpClient().GetStringAsync(gateway + "/telemetry/summary"));
            var cost = summary.RootElement.GetProperty("cost");
            Assert.True(cost.GetProperty("tokensSaved").GetInt64() > 1000);
            AssertSummary(first.Stdout, requests: 1, cost.GetProperty("tokensSaved").GetInt64(), cost.GetProperty("compressionSavedUsd").GetDecimal() + cost.GetProperty("cachingSavedUsd").GetDecimal());

            // Again: the gateway is already listening, so it is reused, and the summary covers this run only.
            var second = await WrapAsync(upstream, port, "wrap", "claude");
            Assert.Equal(3, second.Code);
            Assert.DoesNotContain("started by this command", Flat(second.Stdout), StringComparison.Ordinal);
            Assert.Equal(2, upstream.Requests.Count);
            AssertSummary(second.Stdout, requests: 1, tokensSaved: cost.GetProperty("tokensSaved").GetInt64(), savedUsd: null);
        }
        finally
        {
            StopStartedGateway();
        }
    }

    [Fact]
    public async Task WrapCodexAndGemini_PointTheClientAtTheGateway_TheWayEachReadsIt()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream);
        foreach (var name in new[] { "codex", "gemini" })
        {
            Script(name, $"""
                #!/bin/sh
                printf '%s\n' "OPENAI_BASE_URL=$OPENAI_BASE_URL" "GOOGLE_GEMINI_BASE_URL=$GOOGLE_GEMINI_BASE_URL" "GEMINI_API_KEY=$GEMINI_API_KEY" "$@" > '{_dir}/{name}.seen'
                """);
        }

        var codex = await WrapAsync(upstream, port: null, "wrap", "codex", "--url", gateway.BaseUrl, "--", "exec", "--skip-git-repo-check", "hi");
        Assert.True(codex.Code == 0, codex.Stderr + codex.Stdout);
        Assert.Equal(
        [
            $"OPENAI_BASE_URL={gateway.BaseUrl}/v1", "GOOGLE_GEMINI_BASE_URL=", "GEMINI_API_KEY=gm-key",
            "-c", $"model_providers.headroom={{name=\"headroom\",base_url=\"{gateway.BaseUrl}/v1\",env_key=\"OPENAI_API_KEY\",wire_api=\"responses\"}}", "-c", "model_provider=headroom",
            "exec", "--skip-git-repo-check", "hi",
        ], await File.ReadAllLinesAsync(Path.Combine(_dir, "codex.seen")));
        AssertSummary(codex.Stdout, requests: 0, tokensSaved: 0, savedUsd: 0);

        var gemini = await WrapAsync(upstream, port: null, "wrap", "gemini", "--url", gateway.BaseUrl, "--", "-p", "hi");
        Assert.Equal(0, gemini.Code);
        Assert.Equal(["OPENAI_BASE_URL=", $"GOOGLE_GEMINI_BASE_URL={gateway.BaseUrl}", "GEMINI_API_KEY=gm-key", "-p", "hi"], await File.ReadAllLinesAsync(Path.Combine(_dir, "gemini.seen")));

        // The raw form stays: any command, both base URLs, its exit code, no summary.
        var raw = await WrapAsync(upstream, port: null, "wrap", "--url", gateway.BaseUrl, "--", "/bin/sh", "-c", "echo \"$ANTHROPIC_BASE_URL $OPENAI_BASE_URL\"; exit 5");
        Assert.Equal(5, raw.Code);
        Assert.Equal($"{gateway.BaseUrl} {gateway.BaseUrl}/v1", raw.Stdout.Trim());
    }

    [Fact]
    public async Task WrapClaude_WhenThePortAnswersButIsNoGateway_SaysSoAndRunsNothing()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(); // answers 404 to /healthz: not a gateway
        Script("claude", $"#!/bin/sh\ntouch '{_dir}/claude.ran'\n");
        var result = await WrapAsync(upstream, port: null, "wrap", "claude", "--url", upstream.BaseUrl);
        Assert.Equal(1, result.Code);
        Assert.Contains("not as a Headroom gateway", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "claude.ran")));
    }

    private static void AssertSummary(string stdout, long requests, long tokensSaved, decimal? savedUsd)
    {
        var text = Flat(stdout);
        Assert.Equal(requests, Number(text, @"requests\s+([\d,]+)"));
        Assert.Equal(tokensSaved, Number(text, @"tokens saved\s+([\d,]+) by compression"));
        Assert.Matches(@"cache hit rate\s+\d+\.\d% of input tokens read from the cache", text);
        Assert.Matches(@"retrievals\s+\d+", text);
        if (savedUsd is { } usd)
        {
            Assert.Contains("USD saved $" + usd.ToString("0.0000", CultureInfo.InvariantCulture) + " (", text, StringComparison.Ordinal);
        }
    }

    /// <summary>The table's rows on one line each, whatever width the console picked.</summary>
    private static string Flat(string stdout) => Regex.Replace(stdout, @"\s+", " ");

    private static long Number(string text, string pattern)
    {
        var match = Regex.Match(text, pattern);
        Assert.True(match.Success, $"'{pattern}' not in: {text}");
        return long.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }

    private void Script(string name, string text)
    {
        var path = Path.Combine(_bin, name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private async Task<(int Code, string Stdout, string Stderr)> WrapAsync(ScriptedUpstream upstream, int? port, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PATH"] = _bin + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["HEADROOM__DATADIRECTORY"] = Path.Combine(_dir, "data");
        start.Environment["HEADROOM__PORT"] = port?.ToString(CultureInfo.InvariantCulture) ?? "1";
        start.Environment["HEADROOM__UPSTREAMS__ANTHROPIC"] = upstream.BaseUrl;
        start.Environment["HEADROOM__UPSTREAMS__OPENAI"] = upstream.BaseUrl;
        start.Environment["HEADROOM__COMPRESSION__TIMEBUDGETMS"] = "10000"; // a loaded 2-core machine: compression outcomes must not depend on load
        start.Environment["GEMINI_API_KEY"] = "gm-key";
        start.Environment.Remove("OPENAI_BASE_URL");
        start.Environment.Remove("GOOGLE_GEMINI_BASE_URL");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, await stdout, await stderr);
    }

    private int? Pid()
    {
        var file = Path.Combine(_dir, "data", "gateway.pid");
        return File.Exists(file) ? int.Parse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The gateway wrap started keeps running by design: stop it by its pid.</summary>
    private void StopStartedGateway()
    {
        if (Pid() is not { } pid)
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(10_000);
        }
        catch (ArgumentException)
        {
            // already gone
        }
    }

    /// <summary>A free port in this project's test range.</summary>
    private static int FreePort()
    {
        for (var port = 56410 + Random.Shared.Next(0, 60); port < 56500; port++)
        {
            try
            {
                using var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken
            }
        }

        throw new InvalidOperationException("no free port in 56410-56499");
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
