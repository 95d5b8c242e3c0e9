using Headroom.Gateway.Cli;
using Headroom.Gateway.Tests.Caching;
using Headroom.Gateway.Tests.Infrastructure;
using Spectre.Console;

namespace Headroom.Gateway.Tests.Telemetry;

/// <summary><c>headroom stats</c> against a running gateway.</summary>
public sealed class StatsCommandTests
{
    [Fact]
    public async Task Stats_PrintsTheSummaryTables()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        upstream.Always("/v1/messages", UpstreamReply.Json(Requests.AnthropicReply(input: 1000, output: 100)));
        var (_, id, _) = await host.PostAsync("/v1/messages", Requests.Anthropic("Be useful. " + Requests.Padding("x", 500), 1), "stats-session");
        await host.RecordAsync(id);

        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 200;
        var code = await StatsCommand.RunAsync(host.Client.BaseAddress!.ToString(), null, raw: false, console, CancellationToken.None);

        var text = output.ToString();
        Assert.Equal(0, code);
        Assert.Contains("claude-sonnet-4-5-20250929", text, StringComparison.Ordinal);
        Assert.Contains("stats-session", text, StringComparison.Ordinal);
        Assert.Contains("0.0045", text, StringComparison.Ordinal); // 1000·3 + 100·15 per million
    }

    [Fact]
    public async Task Stats_NoGateway_SaysHowToFixIt()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), ColorSystem = ColorSystemSupport.NoColors });

        var code = await StatsCommand.RunAsync("http://127.0.0.1:1", null, raw: false, console, CancellationToken.None);

        Assert.Equal(1, code);
        Assert.Contains("headroom proxy", output.ToString(), StringComparison.Ordinal);
    }
}
