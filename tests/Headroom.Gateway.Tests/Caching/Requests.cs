using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Headroom.Gateway.Tests.Caching;

/// <summary>Request and reply bodies for scripted cache sessions (sizes chosen to clear the models' cache minimums).</summary>
internal static class Requests
{
    public static readonly string[] DefaultTools = ["read_file", "run_command", "search_code"];

    /// <summary>An Anthropic Messages body: tools (≈1.6 KB each), a system prompt, and <paramref name="turns"/> user turns with assistant answers between.</summary>
    public static string Anthropic(string system, int turns, string[]? tools = null, bool stream = false, string model = "claude-sonnet-4-5", bool clientCache = false)
    {
        var b = new StringBuilder();
        b.Append("{\"model\":\"").Append(model).Append("\",\"max_tokens\":1024");
        if (stream)
        {
            b.Append(",\"stream\":true");
        }

        b.Append(",\"system\":").Append(clientCache
            ? "[{\"type\":\"text\",\"text\":" + JsonSerializer.Serialize(system) + ",\"cache_control\":{\"type\":\"ephemeral\"}}]"
            : JsonSerializer.Serialize(system));
        b.Append(",\"tools\":[");
        var names = tools ?? DefaultTools;
        for (var i = 0; i < names.Length; i++)
        {
            b.Append(i > 0 ? "," : "").Append("{\"name\":\"").Append(names[i]).Append("\",\"description\":")
             .Append(JsonSerializer.Serialize(Padding(names[i], 1600)))
             .Append(",\"input_schema\":{\"type\":\"object\",\"properties\":{\"arg\":{\"type\":\"string\"}}}}");
        }

        b.Append("],\"messages\":[");
        for (var t = 0; t < turns; t++)
        {
            if (t > 0)
            {
                b.Append(",{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"answer ").Append(t - 1).Append("\"}]},");
            }

            b.Append("{\"role\":\"user\",\"content\":\"question ").Append(t).Append(": ").Append(Padding("q" + t, 200)).Append("\"}");
        }

        b.Append("]}");
        return b.ToString();
    }

    public static string AnthropicReply(long input, long output, long read = 0, long write5m = 0, long write1h = 0, string model = "claude-sonnet-4-5-20250929") =>
        "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":" + input
        + ",\"cache_creation_input_tokens\":" + (write5m + write1h) + ",\"cache_read_input_tokens\":" + read
        + ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":" + write5m + ",\"ephemeral_1h_input_tokens\":" + write1h + "},\"output_tokens\":" + output + "}}";

    public static string AnthropicStreamReply(long input, long output, long read = 0, long write5m = 0) =>
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_02\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":" + input
        + ",\"cache_creation_input_tokens\":" + write5m + ",\"cache_read_input_tokens\":" + read + ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":" + write5m + ",\"ephemeral_1h_input_tokens\":0},\"output_tokens\":1}}}\n\n"
        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"ok\"}}\n\n"
        + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":" + output + "}}\n\n"
        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    /// <summary>An SRE agent turn that reads <paramref name="log"/> with Bash; with <paramref name="followUp"/>, one more question after the answer.</summary>
    public static string SreLogTurn(string log, bool followUp)
    {
        var messages = new JsonArray
        {
            new JsonObject { ["role"] = "user", ["content"] = "Why did the Hadoop job fail?" },
            new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_1", ["name"] = "Bash", ["input"] = new JsonObject { ["command"] = "cat job.log" } } } },
            new JsonObject { ["role"] = "user", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = "toolu_1", ["content"] = log } } },
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

    public static string Padding(string seed, int length)
    {
        var b = new StringBuilder(length + 40);
        var i = 0;
        while (b.Length < length)
        {
            b.Append(seed).Append(" detail ").Append(i++).Append(". ");
        }

        return b.ToString(0, length);
    }
}
