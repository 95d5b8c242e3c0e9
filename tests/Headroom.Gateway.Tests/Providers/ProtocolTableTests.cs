using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Providers;

/// <summary>
/// The live zone's byte rules, one table for every wire protocol (Anthropic Messages, OpenAI Chat,
/// OpenAI Responses, Gemini): over a two-turn agent conversation, the newest tool output is
/// compressed with a marker; on the next turn it is replayed byte for byte; <c>tools</c> and the
/// system prompt are the same bytes on both turns, the client's own tools a prefix of them and
/// <c>headroom_retrieve</c> declared from the first turn; every conversation item of the first turn
/// other than the output reaches the upstream as the client wrote it. The ranges are read here with
/// <see cref="JsonDocument"/> (raw text of each element), not with the gateway's walker.
/// </summary>
public sealed class ProtocolTableTests
{
    private static readonly string FirstLog = string.Join('\n', File.ReadLines(SharedData.Path("logs", "OpenStack", "OpenStack_2k.log")).Take(400));
    private static readonly string SecondLog = string.Join('\n', File.ReadLines(SharedData.Path("logs", "Hadoop", "Hadoop_2k.log")).Take(400));

    /// <summary>One protocol: where it posts, how it authenticates, how it writes a turn and where the outputs are.</summary>
    public sealed record Protocol(
        string Name, string Path, Action<HttpRequestMessage> Authenticate, Func<string[], string> Body, string Reply,
        string Conversation, Func<JsonElement, string> System, Func<JsonElement, IEnumerable<JsonElement>> Outputs, Func<JsonElement, IEnumerable<string>> ToolNames)
    {
        public override string ToString() => Name;
    }

    private static JsonObject Schema => new() { ["type"] = "object", ["properties"] = new JsonObject { ["command"] = new JsonObject { ["type"] = "string" } } };

    private static readonly Protocol Anthropic = new(
        "anthropic", "/v1/messages",
        r => { r.Headers.Add("x-api-key", "sk-ant-table"); r.Headers.Add("anthropic-version", "2023-06-01"); },
        outputs =>
        {
            var messages = new JsonArray { new JsonObject { ["role"] = "user", ["content"] = "Why did the nightly job fail?" } };
            for (var i = 0; i < outputs.Length; i++)
            {
                messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_use", ["id"] = $"toolu_{i}", ["name"] = "Bash", ["input"] = new JsonObject { ["command"] = $"cat job-{i}.log" } } } });
                messages.Add(new JsonObject { ["role"] = "user", ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = $"toolu_{i}", ["content"] = outputs[i] } } });
            }

            return new JsonObject { ["model"] = "claude-sonnet-4-5", ["max_tokens"] = 1024, ["system"] = "You are a build engineer.", ["tools"] = new JsonArray { new JsonObject { ["name"] = "Bash", ["input_schema"] = Schema } }, ["messages"] = messages }.ToJsonString();
        },
        "{\"id\":\"msg_t\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"Looking.\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":10,\"output_tokens\":2}}",
        "messages", root => root.GetProperty("system").GetRawText(),
        root => root.GetProperty("messages").EnumerateArray().SelectMany(m => m.GetProperty("content").ValueKind == JsonValueKind.Array ? m.GetProperty("content").EnumerateArray() : [])
            .Where(b => b.GetProperty("type").GetString() == "tool_result").Select(b => b.GetProperty("content")),
        tools => tools.EnumerateArray().Select(t => t.GetProperty("name").GetString()!));

    private static readonly Protocol Chat = new(
        "openai-chat", "/v1/chat/completions",
        r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-table-chat"),
        outputs =>
        {
            var messages = new JsonArray { new JsonObject { ["role"] = "system", ["content"] = "You are a build engineer." }, new JsonObject { ["role"] = "user", ["content"] = "Why did the nightly job fail?" } };
            for (var i = 0; i < outputs.Length; i++)
            {
                messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray { new JsonObject { ["id"] = $"call_{i}", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "bash", ["arguments"] = $"{{\"command\":\"cat job-{i}.log\"}}" } } } });
                messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = $"call_{i}", ["content"] = outputs[i] });
            }

            return new JsonObject { ["model"] = "gpt-4o", ["messages"] = messages, ["tools"] = new JsonArray { new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = "bash", ["parameters"] = Schema } } } }.ToJsonString();
        },
        "{\"id\":\"chatcmpl-t\",\"object\":\"chat.completion\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Looking.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}}",
        "messages", root => root.GetProperty("messages")[0].GetRawText(),
        root => root.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("role").GetString() == "tool").Select(m => m.GetProperty("content")),
        tools => tools.EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()!));

    private static readonly Protocol Responses = new(
        "openai-responses", "/v1/responses",
        r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-table-responses"),
        outputs =>
        {
            var input = new JsonArray { new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = "Why did the nightly job fail?" } };
            for (var i = 0; i < outputs.Length; i++)
            {
                input.Add(new JsonObject { ["type"] = "function_call", ["call_id"] = $"call_{i}", ["name"] = "bash", ["arguments"] = $"{{\"command\":\"cat job-{i}.log\"}}" });
                input.Add(new JsonObject { ["type"] = "function_call_output", ["call_id"] = $"call_{i}", ["output"] = outputs[i] });
            }

            return new JsonObject { ["model"] = "gpt-5", ["instructions"] = "You are a build engineer.", ["input"] = input, ["tools"] = new JsonArray { new JsonObject { ["type"] = "function", ["name"] = "bash", ["parameters"] = Schema } }, ["prompt_cache_key"] = "table" }.ToJsonString();
        },
        "{\"id\":\"resp_t\",\"object\":\"response\",\"model\":\"gpt-5\",\"output\":[{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Looking.\"}]}],\"usage\":{\"input_tokens\":10,\"output_tokens\":2,\"total_tokens\":12}}",
        "input", root => root.GetProperty("instructions").GetRawText(),
        root => root.GetProperty("input").EnumerateArray().Where(i => i.GetProperty("type").GetString() == "function_call_output").Select(i => i.GetProperty("output")),
        tools => tools.EnumerateArray().Select(t => t.GetProperty("name").GetString()!));

    private static readonly Protocol Gemini = new(
        "gemini", "/v1beta/models/gemini-2.5-flash:generateContent",
        r => r.Headers.Add("x-goog-api-key", "AIzaSyTableKeyForGeminiTests000000000"),
        outputs =>
        {
            var contents = new JsonArray { new JsonObject { ["role"] = "user", ["parts"] = new JsonArray { new JsonObject { ["text"] = "Why did the nightly job fail?" } } } };
            for (var i = 0; i < outputs.Length; i++)
            {
                contents.Add(new JsonObject { ["role"] = "model", ["parts"] = new JsonArray { new JsonObject { ["functionCall"] = new JsonObject { ["id"] = $"run_shell_command_{i}", ["name"] = "run_shell_command", ["args"] = new JsonObject { ["command"] = $"cat job-{i}.log" } } } } });
                contents.Add(new JsonObject { ["role"] = "user", ["parts"] = new JsonArray { new JsonObject { ["functionResponse"] = new JsonObject { ["id"] = $"run_shell_command_{i}", ["name"] = "run_shell_command", ["response"] = new JsonObject { ["output"] = outputs[i] } } } } });
            }

            return new JsonObject
            {
                ["contents"] = contents,
                ["systemInstruction"] = new JsonObject { ["parts"] = new JsonArray { new JsonObject { ["text"] = "You are a build engineer." } }, ["role"] = "user" },
                ["tools"] = new JsonArray { new JsonObject { ["functionDeclarations"] = new JsonArray { new JsonObject { ["name"] = "run_shell_command", ["parametersJsonSchema"] = Schema } } } },
            }.ToJsonString();
        },
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Looking.\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":2,\"totalTokenCount\":12}}",
        "contents", root => root.GetProperty("systemInstruction").GetRawText(),
        root => root.GetProperty("contents").EnumerateArray().SelectMany(c => c.GetProperty("parts").EnumerateArray())
            .Where(p => p.TryGetProperty("functionResponse", out _)).Select(p => p.GetProperty("functionResponse").GetProperty("response").GetProperty("output")),
        tools => tools.EnumerateArray().SelectMany(t => t.GetProperty("functionDeclarations").EnumerateArray()).Select(d => d.GetProperty("name").GetString()!));

    public static TheoryData<Protocol> Protocols => [Anthropic, Chat, Responses, Gemini];

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task TwoTurns_NewestOutputCompressed_ReplayedByteForByte_PrefixStable(Protocol protocol)
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always(protocol.Path, UpstreamReply.Json(protocol.Reply));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, upstream.BaseUrl, new Dictionary<string, string?> { ["Headroom:Upstreams:Gemini"] = upstream.BaseUrl });

        var firstClient = protocol.Body([FirstLog]);
        var secondClient = protocol.Body([FirstLog, SecondLog]);
        foreach (var body in new[] { firstClient, secondClient })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, protocol.Path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            protocol.Authenticate(request);
            using var response = await gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var sent = upstream.Requests.ToArray();
        Assert.Equal(2, sent.Length);
        Assert.Empty(upstream.Refused);
        using var first = JsonDocument.Parse(sent[0].Body);
        using var second = JsonDocument.Parse(sent[1].Body);
        using var client = JsonDocument.Parse(firstClient);

        // 1. The newest output is compressed, with a marker; on the next turn the same bytes again, and the new one compressed.
        var firstOut = protocol.Outputs(first.RootElement).Single();
        Assert.Contains("[headroom:", firstOut.GetString(), StringComparison.Ordinal);
        Assert.True(firstOut.GetString()!.Length < FirstLog.Length / 2, $"{protocol}: {FirstLog.Length} -> {firstOut.GetString()!.Length}");
        var secondOuts = protocol.Outputs(second.RootElement).ToList();
        Assert.Equal(2, secondOuts.Count);
        Assert.Equal(firstOut.GetRawText(), secondOuts[0].GetRawText());
        Assert.Contains("[headroom:", secondOuts[1].GetString(), StringComparison.Ordinal);

        // 2. tools and the system prompt: the same bytes on both turns; the client's tools first, then ours from turn one.
        Assert.Equal(first.RootElement.GetProperty("tools").GetRawText(), second.RootElement.GetProperty("tools").GetRawText());
        Assert.Equal(protocol.System(first.RootElement), protocol.System(second.RootElement));
        Assert.Equal(protocol.System(client.RootElement), protocol.System(first.RootElement));
        Assert.Equal([.. protocol.ToolNames(client.RootElement.GetProperty("tools")), "headroom_retrieve"], protocol.ToolNames(first.RootElement.GetProperty("tools")));
        var clientTools = client.RootElement.GetProperty("tools").GetRawText();
        Assert.StartsWith(clientTools.TrimEnd(']', '}'), first.RootElement.GetProperty("tools").GetRawText(), StringComparison.Ordinal); // ours goes after the client's last declaration

        // 3. Every other item of the first turn's conversation is the client's bytes, and the second turn repeats the first's.
        var clientItems = client.RootElement.GetProperty(protocol.Conversation).EnumerateArray().Select(e => e.GetRawText()).ToList();
        var firstItems = first.RootElement.GetProperty(protocol.Conversation).EnumerateArray().Select(e => e.GetRawText()).ToList();
        var secondItems = second.RootElement.GetProperty(protocol.Conversation).EnumerateArray().Select(e => e.GetRawText()).ToList();
        Assert.Equal(clientItems.Count, firstItems.Count);
        Assert.Equal(clientItems.Count - 1, clientItems.Zip(firstItems).Count(p => p.First == p.Second)); // only the output's item differs
        Assert.Equal(firstItems, secondItems.Take(firstItems.Count));
    }
}
