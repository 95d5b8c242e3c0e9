using System.Text.Json.Nodes;
using Headroom.Compressors.Markers;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Retrieval;

/// <summary>The agent turn the retrieval tests share: a question, a Bash call, and a 500-line OpenStack log as its output.</summary>
internal static class RetrievalRequests
{
    public static readonly string Log = string.Join('\n', File.ReadLines(SharedData.Path("logs", "OpenStack", "OpenStack_2k.log")).Take(500));

    public static readonly string Hash = ContentHash.Compute(Log);

    /// <summary>An Anthropic Messages body declaring Bash; with <paramref name="toolOutput"/> null, the question alone.</summary>
    public static string Anthropic(bool? stream = null, string question = "Which instance failed to spawn?", string? toolOutput = null)
    {
        var messages = new JsonArray { new JsonObject { ["role"] = "user", ["content"] = question } };
        if (toolOutput is not null)
        {
            messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_1", ["name"] = "Bash", ["input"] = new JsonObject { ["command"] = "cat nova.log" } } } });
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = "toolu_1", ["content"] = toolOutput } } });
        }

        var body = new JsonObject { ["model"] = "claude-sonnet-4-5", ["max_tokens"] = 1024 };
        if (stream is { } s)
        {
            body["stream"] = s;
        }

        body["tools"] = new JsonArray { new JsonObject { ["name"] = "Bash", ["input_schema"] = new JsonObject { ["type"] = "object" } } };
        body["messages"] = messages;
        return body.ToJsonString();
    }
}
