using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Headroom.Gateway.Hosting;
using Microsoft.Extensions.Configuration;

namespace Headroom.Gateway.Cli;

/// <summary>
/// <c>headroom wrap claude|codex|gemini [-- ARGS]</c>: make sure a gateway listens on the configured
/// address (start one in the background if not), run the agent pointed at it, pass its exit code through,
/// and print what the gateway did meanwhile. <c>headroom wrap -- COMMAND</c> runs any command with both
/// base URLs set.
/// </summary>
internal static class WrapCommand
{
    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = "Gateway address (default http://Headroom:Host:Headroom:Port, i.e. http://127.0.0.1:8787).", Recursive = true };
        var session = new Option<string?>("--session") { Description = "Session id, sent as x-headroom-session-id (Claude Code: through ANTHROPIC_CUSTOM_HEADERS).", Recursive = true };
        var token = new Option<string?>("--token") { Description = "Admin bearer token for the closing summary (default: HEADROOM_ADMIN_TOKEN).", Recursive = true };
        var program = new Argument<string[]>("COMMAND") { Description = "The agent command line, after --.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("wrap", "Run an agent through the gateway: `wrap claude|codex|gemini [-- ARGS]` starts the gateway if needed and prints a summary; `wrap -- COMMAND` runs any command.") { url, session, token, program };
        command.SetAction((parse, cancellationToken) =>
        {
            var argv = parse.GetValue(program) ?? [];
            return RunAsync(WrapAgent.Command, argv[0], argv[1..], parse.GetValue(url), parse.GetValue(session), parse.GetValue(token), cancellationToken);
        });

        foreach (var agent in new[] { WrapAgent.Claude, WrapAgent.Codex, WrapAgent.Gemini })
        {
            var args = new Argument<string[]>("ARGS") { Description = $"Arguments for {WrapAgents.Program(agent)}, after --.", Arity = ArgumentArity.ZeroOrMore };
            var sub = new Command(WrapAgents.Program(agent), $"Run {WrapAgents.Program(agent)} through the gateway (started in the background if none listens), then print requests, savings, cache hit rate and retrievals.") { args };
            sub.SetAction((parse, cancellationToken) =>
                RunAsync(agent, WrapAgents.Program(agent), parse.GetValue(args) ?? [], parse.GetValue(url), parse.GetValue(session), parse.GetValue(token), cancellationToken));
            command.Subcommands.Add(sub);
        }

        return command;
    }

    private static async Task<int> RunAsync(WrapAgent agent, string executable, string[] args, string? url, string? session, string? token, CancellationToken cancellationToken)
    {
        var options = Configuration();
        var baseUrl = (url ?? $"http://{ConnectHost(options.Host)}:{options.Port}").TrimEnd('/');
        token ??= Environment.GetEnvironmentVariable("HEADROOM_ADMIN_TOKEN");
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

        // 1. A gateway on the configured address (the raw form expects one already running, as before).
        int? started = null;
        WrapSnapshot? before = null;
        if (agent != WrapAgent.Command)
        {
            var (error, pid) = await new GatewayLauncher(http).EnsureAsync(baseUrl, options, cancellationToken).ConfigureAwait(false);
            started = pid;
            if (error is not null)
            {
                await Console.Error.WriteLineAsync("headroom wrap: " + error).ConfigureAwait(false);
                return 1;
            }

            before = (await WrapSnapshot.TakeAsync(http, baseUrl, token, cancellationToken).ConfigureAwait(false)).Snapshot;
        }

        if (session is { Length: > 0 } && agent is WrapAgent.Codex or WrapAgent.Gemini)
        {
            await Console.Error.WriteLineAsync($"headroom wrap: --session is passed to Claude Code only (ANTHROPIC_CUSTOM_HEADERS); {executable} sends its own session id.").ConfigureAwait(false);
        }

        // 2. The agent, pointed at it, with this terminal.
        var start = new ProcessStartInfo(executable) { UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        WrapAgents.PointAt(agent, start, baseUrl, session);
        int exitCode;
        try
        {
            using var process = Process.Start(start)!;
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            exitCode = process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            await Console.Error.WriteLineAsync($"headroom wrap: cannot start '{executable}': {ex.Message}. Is it installed and on PATH?").ConfigureAwait(false);
            return 127;
        }

        // 3. What the gateway did while it ran.
        if (agent != WrapAgent.Command)
        {
            var (after, problem) = await SettledAsync(http, baseUrl, token, cancellationToken).ConfigureAwait(false);
            Print(Console.Out, executable, exitCode, baseUrl, started, before is null || after is null ? null : after.Minus(before), problem ?? (before is null ? "no summary before the run" : null));
        }

        return exitCode;
    }

    /// <summary>
    /// A request is accounted just after its client has the last byte, so the agent's final request may
    /// land a moment after it exits: read until two snapshots 300 ms apart agree (at most 3 s).
    /// </summary>
    private static async Task<(WrapSnapshot? Snapshot, string? Error)> SettledAsync(HttpClient http, string baseUrl, string? token, CancellationToken cancellationToken)
    {
        var last = await WrapSnapshot.TakeAsync(http, baseUrl, token, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < 10 && last.Snapshot is not null; i++)
        {
            await Task.Delay(300, cancellationToken).ConfigureAwait(false);
            var next = await WrapSnapshot.TakeAsync(http, baseUrl, token, cancellationToken).ConfigureAwait(false);
            if (next.Snapshot == last.Snapshot)
            {
                break;
            }

            last = next;
        }

        return last;
    }

    /// <summary>One screen, plain lines (they survive a narrow terminal and a log file alike).</summary>
    internal static void Print(TextWriter output, string agent, int exitCode, string baseUrl, int? started, WrapSnapshot? d, string? problem)
    {
        var rows = new List<(string Name, string Value)>();
        if (d is null)
        {
            rows.Add(("summary", $"not available ({problem}); try `headroom stats --url {baseUrl}`"));
        }
        else
        {
            rows.Add(("requests", N(d.Requests)));
            rows.Add(("tokens saved", $"{N(d.TokensSaved)} by compression"));
            rows.Add(("USD saved", $"{Usd(d.CompressionSavedUsd + d.CachingSavedUsd)} (compression {Usd(d.CompressionSavedUsd)}, caching {Usd(d.CachingSavedUsd)})"));
            rows.Add(("USD billed", $"{Usd(d.BilledUsd)} (without the gateway {Usd(d.NoGatewayUsd)})"));
            if (d.UnpricedRequests > 0)
            {
                rows.Add(("unpriced", $"{N(d.UnpricedRequests)} request(s) for models without a price: in tokens only, not in USD"));
            }

            rows.Add(("cache hit rate", $"{d.CacheHitRate.ToString("P1", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal)} of input tokens read from the cache ({N(d.CacheReadTokens)} of {N(d.InputTokens + d.CacheReadTokens + d.CacheWriteTokens)})"));
            rows.Add(("retrievals", N(d.Retrievals)));
        }

        rows.Add(("gateway", started is { } pid ? $"{baseUrl}, started by this command (pid {pid}); it keeps running, `kill {pid}` stops it" : baseUrl));
        rows.Add(("dashboard", baseUrl + "/dashboard"));
        output.WriteLine();
        output.WriteLine($"headroom wrap {agent}: exit {exitCode}");
        foreach (var (name, value) in rows)
        {
            output.WriteLine($"  {name,-15} {value}");
        }
    }

    /// <summary>The Headroom section as <c>headroom proxy</c> reads it: appsettings.json, then HEADROOM__* variables.</summary>
    private static GatewayOptions Configuration() =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build()
            .GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();

    private static string ConnectHost(string host) =>
        host is "0.0.0.0" or "*" or "+" or "" ? "127.0.0.1" : host is "::" or "[::]" ? "[::1]" : host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Usd(decimal v) => (v < 0 ? "-$" : "$") + Math.Abs(v).ToString("0.0000", CultureInfo.InvariantCulture);
}
