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

    public static string CompressedTurn(bool followUp)
    {
        var messages = new JsonArray
        {
            new JsonObject { ["role"] = "user", ["content"] = "Why did the Hadoop job fail?" },
            new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_1", ["name"] = "Bash", ["input"] = new JsonObject { ["command"] = "cat job.log" } } } },
            new JsonObject { ["role"] = "user", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = "toolu_1", ["content"] = string.Join('\n', LogLines) } } },
        };
        if (followUp)
        {
            messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray { new JsonObject { ["type"] = "text", ["text"] = "A container ran out of memory." } } });
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = "Which one?" });
        }

        return new JsonObject
        {
            ["model"] = "claude-sonnet-4-5",
            ["max_tokens"] = 1024,
            ["system"] = "You are an SRE agent. " + Requests.Padding("runbook", 3000),
            ["tools"] = new JsonArray { new JsonObject { ["name"] = "Bash", ["description"] = Requests.Padding("shell", 2000), ["input_schema"] = new JsonObject { ["type"] = "object" } } },
            ["messages"] = messages,
        }.ToJsonString();
    }

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
