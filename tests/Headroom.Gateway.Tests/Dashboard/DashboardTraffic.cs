using System.Text.Json.Nodes;
using Headroom.Gateway.Tests.Caching;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Dashboard;

/// <summary>
/// Scripted traffic for the dashboard: a session whose log output is compressed and then replayed (cold,
/// hit), and a session whose system prompt changes (a break with a cause and a position).
/// </summary>
internal static class DashboardTraffic
{
    public const string Path = "/v1/messages";
    public static readonly string[] LogLines = File.ReadLines(SharedData.Path("logs", "Hadoop", "Hadoop_2k.log")).Take(600).ToArray();

    public static string CompressedTurn(bool followUp) => Requests.SreLogTurn(string.Join('\n', LogLines), followUp);

    /// <summary>Runs the scripted session; returns the request ids in order (sre cold, sre hit, drift cold, drift broken).</summary>
    public static async Task<List<string>> RunAsync(ScriptedUpstream upstream, CacheTestHost host)
    {
        upstream.Next(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 500, output: 50, write5m: 2000)));
        upstream.Next(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 100, output: 20, read: 2000, write5m: 40)));
        upstream.Next(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 300, output: 10, write5m: 1800)));
        upstream.Next(Path, UpstreamReply.Json(Requests.AnthropicReply(input: 2100, output: 10)));
        var ids = new List<string>();
        ids.Add((await host.PostAsync(Path, CompressedTurn(followUp: false), "sre")).RequestId);
        host.Clock.Advance(TimeSpan.FromSeconds(50));
        ids.Add((await host.PostAsync(Path, CompressedTurn(followUp: true), "sre")).RequestId);
        var system = "You are a coding agent. Today is 2026-11-21. " + Requests.Padding("policy", 3000);
        ids.Add((await host.PostAsync(Path, Requests.Anthropic(system, 1), "drift")).RequestId);
        host.Clock.Advance(TimeSpan.FromSeconds(20));
        ids.Add((await host.PostAsync(Path, Requests.Anthropic(system.Replace("2026-11-21", "2026-11-22", StringComparison.Ordinal), 2), "drift")).RequestId);
        return ids;
    }
}
