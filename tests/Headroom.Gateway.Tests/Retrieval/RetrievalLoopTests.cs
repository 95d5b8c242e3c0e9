using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Models.Messages;
using Headroom.Compressors.Markers;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Retrieval;

/// <summary>The model's headroom_retrieve calls are served inside the gateway; the client never sees them.</summary>
public sealed class RetrievalLoopTests
{
    private static readonly string Log = RetrievalRequests.Log;
    private static readonly string Hash = RetrievalRequests.Hash;

    private static string AnthropicRequest(bool stream) => RetrievalRequests.Anthropic(stream, toolOutput: Log);

    private static string AnthropicJson(string stopReason, int input, int output, params JsonObject[] content) => new JsonObject
    {
        ["id"] = "msg_" + input, ["type"] = "message", ["role"] = "assistant", ["model"] = "claude-sonnet-4-5-20250929",
        ["content"] = new JsonArray(content), ["stop_reason"] = stopReason, ["stop_sequence"] = null,
        ["usage"] = new JsonObject { ["input_tokens"] = input, ["cache_creation_input_tokens"] = 0, ["cache_read_input_tokens"] = 100, ["output_tokens"] = output },
    }.ToJsonString();

    private static JsonObject RetrieveCall(string id, string hash) => new() { ["type"] = "tool_use", ["id"] = id, ["name"] = "headroom_retrieve", ["input"] = new JsonObject { ["hash"] = hash } };

    private static JsonObject Text(string text) => new() { ["type"] = "text", ["text"] = text };

    private static async Task<HttpResponseMessage> PostAsync(TestGateway gateway, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", "sk-ant-retrieval");
        request.Headers.Add("anthropic-version", "2023-06-01");
        return await gateway.Client.SendAsync(request);
    }

    [Fact]
    public async Task Json_RetrieveCallIsServedAndContinued_ClientSeesOnlyTheFinalAnswer()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Next("/v1/messages", UpstreamReply.Json(AnthropicJson("tool_use", 1000, 20, Text("Let me see the full log."), RetrieveCall("toolu_r1", Hash))));
        upstream.Next("/v1/messages", UpstreamReply.Json(AnthropicJson("end_turn", 9000, 30, Text("Instance 3edec1e4 failed to spawn."))));
        await using var gateway = await TestGateway.StartAsync(upstream);

        using var response = await PostAsync(gateway, AnthropicRequest(stream: false));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("end_turn", json.RootElement.GetProperty("stop_reason").GetString());
        Assert.Equal("Instance 3edec1e4 failed to spawn.", json.RootElement.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.DoesNotContain("headroom_retrieve", json.RootElement.GetProperty("content").GetRawText(), StringComparison.Ordinal);
        Assert.Equal(10000, json.RootElement.GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Equal(50, json.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt64());

        var sent = upstream.Requests.ToArray();
        Assert.Equal(2, sent.Length);
        // The continuation extends the first request: every byte of its conversation is a prefix.
        var firstText = Encoding.UTF8.GetString(sent[0].Body);
        Assert.StartsWith(firstText[..firstText.LastIndexOf(']')], Encoding.UTF8.GetString(sent[1].Body), StringComparison.Ordinal);
        var messages = JsonNode.Parse(sent[1].Body)!["messages"]!.AsArray();
        Assert.Equal("assistant", messages[^2]!["role"]!.GetValue<string>());
        var result = messages[^1]!["content"]![0]!;
        Assert.Equal("toolu_r1", result["tool_use_id"]!.GetValue<string>());
        Assert.Equal(Log, result["content"]!.GetValue<string>());
        Assert.Equal(1, gateway.Ledger.Snapshot().Recent.Single().Retrievals);
    }

    [Fact]
    public async Task Stream_RetrieveBlockIsHeldBack_ContinuationFollowsInTheSameStream()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var first = $$$$"""
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1000,"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me look. "}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_r1","name":"headroom_retrieve","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"hash\": \"{{{{Hash}}}}\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":20}}

            event: message_stop
            data: {"type":"message_stop"}


            """.Replace("\r\n", "\n", StringComparison.Ordinal);
        var second = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":9000,"cache_creation_input_tokens":0,"cache_read_input_tokens":1100,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Instance 3edec1e4 failed."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":30}}

            event: message_stop
            data: {"type":"message_stop"}


            """.Replace("\r\n", "\n", StringComparison.Ordinal);
        upstream.Next("/v1/messages", UpstreamReply.Json(AnthropicJson("end_turn", 10, 1, Text("ok"))));
        upstream.Next("/v1/messages", UpstreamReply.Sse(first));
        upstream.Next("/v1/messages", UpstreamReply.Sse(second));
        await using var gateway = await TestGateway.StartAsync(upstream);

        // A first turn stores the original the scripted model asks for; the streamed request declares a
        // client tool (as agents do), so it carries the retrieve tool too.
        using (var priming = await PostAsync(gateway, AnthropicRequest(stream: false)))
        {
            await priming.Content.ReadAsStringAsync();
        }

        // The official SDK reads the spliced stream as one ordinary message.
        var client = new AnthropicClient { ApiKey = "sk-ant-retrieval", BaseUrl = gateway.BaseUrl, MaxRetries = 0 };
        var text = new StringBuilder();
        var indices = new List<long>();
        string? stop = null;
        long? output = null;
        var parameters = new MessageCreateParams { Model = "claude-sonnet-4-5", MaxTokens = 1024, Messages = [new UserMessageParam("Which instance failed to spawn?")], Tools = [new ToolBash20250124()] };
        await foreach (var ev in client.Messages.CreateStreaming(parameters))
        {
            if (ev.TryPickContentBlockStart(out var start))
            {
                indices.Add(start.Index);
                Assert.False(start.ContentBlock.TryPickToolUse(out _), "the client must not see a tool call");
            }
            else if (ev.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var t))
            {
                text.Append(t.Text);
            }
            else if (ev.TryPickDelta(out var messageDelta))
            {
                stop = messageDelta.Delta.StopReason?.ToString();
                output = messageDelta.Usage.OutputTokens;
            }
        }

        Assert.Equal("Let me look. Instance 3edec1e4 failed.", text.ToString());
        Assert.Equal([0L, 1L], indices);
        Assert.Contains("end_turn", stop, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(50, output);
        Assert.Equal(3, upstream.Requests.Count);
        var continuation = JsonNode.Parse(upstream.Requests.ElementAt(2).Body)!["messages"]!.AsArray();
        Assert.Equal("headroom_retrieve", continuation[^2]!["content"]![1]!["name"]!.GetValue<string>());
        Assert.Equal(Log, continuation[^1]!["content"]![0]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task MixedWithClientTools_ClientGetsOnlyItsOwnCalls()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var bash = new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_b", ["name"] = "Bash", ["input"] = new JsonObject { ["command"] = "ls" } };
        upstream.Next("/v1/messages", UpstreamReply.Json(AnthropicJson("tool_use", 1000, 20, RetrieveCall("toolu_r1", Hash), bash)));
        await using var gateway = await TestGateway.StartAsync(upstream);

        using var response = await PostAsync(gateway, AnthropicRequest(stream: false));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var content = json.RootElement.GetProperty("content");
        Assert.Equal(1, content.GetArrayLength());
        Assert.Equal("Bash", content[0].GetProperty("name").GetString());
        Assert.Equal("tool_use", json.RootElement.GetProperty("stop_reason").GetString());
        Assert.Single(upstream.Requests);
    }

    [Fact]
    public async Task ForgedHash_IsAnsweredWithAnErrorNeverAnotherTenantsOriginal()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Next("/v1/messages", UpstreamReply.Json(AnthropicJson("tool_use", 1000, 20, RetrieveCall("toolu_r1", "0123456789abcdef01234567"))));
        upstream.Next("/v1/messages", UpstreamReply.Json(AnthropicJson("end_turn", 2000, 5, Text("Sorry."))));
        await using var gateway = await TestGateway.StartAsync(upstream);

        using var response = await PostAsync(gateway, AnthropicRequest(stream: false));
        await response.Content.ReadAsStringAsync();

        var result = JsonNode.Parse(upstream.Requests.ElementAt(1).Body)!["messages"]!.AsArray()[^1]!["content"]![0]!;
        Assert.True(result["is_error"]!.GetValue<bool>());
        Assert.Contains("No original is stored", result["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAIChat_RetrieveCallIsServed()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var call = new JsonObject
        {
            ["id"] = "chatcmpl-1", ["object"] = "chat.completion", ["created"] = 1, ["model"] = "gpt-4.1",
            ["choices"] = new JsonArray { new JsonObject { ["index"] = 0, ["finish_reason"] = "tool_calls", ["message"] = new JsonObject
            {
                ["role"] = "assistant", ["content"] = null,
                ["tool_calls"] = new JsonArray { new JsonObject { ["id"] = "call_r", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "headroom_retrieve", ["arguments"] = $"{{\"hash\":\"{Hash}\"}}" } } },
            } } },
            ["usage"] = new JsonObject { ["prompt_tokens"] = 1000, ["completion_tokens"] = 10, ["total_tokens"] = 1010 },
        }.ToJsonString();
        upstream.Next("/v1/chat/completions", UpstreamReply.Json(call));
        upstream.Next("/v1/chat/completions", UpstreamReply.Json(Fixture.Text("openai-chat-completion.json")));
        await using var gateway = await TestGateway.StartAsync(upstream);
        var body = new JsonObject
        {
            ["model"] = "gpt-4.1",
            ["messages"] = new JsonArray
            {
                new JsonObject { ["role"] = "user", ["content"] = "which instance failed?" },
                new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray { new JsonObject { ["id"] = "call_1", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "exec_command", ["arguments"] = "{\"cmd\":\"cat nova.log\"}" } } } },
                new JsonObject { ["role"] = "tool", ["tool_call_id"] = "call_1", ["content"] = Log },
            },
        }.ToJsonString();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Authorization", "Bearer sk-proj-retrieval");
        using var response = await gateway.Client.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("exec_command", json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal(1019, json.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt64());
        var continuation = JsonNode.Parse(upstream.Requests.ElementAt(1).Body)!["messages"]!.AsArray();
        Assert.Equal("call_r", continuation[^1]!["tool_call_id"]!.GetValue<string>());
        Assert.Equal(Log, continuation[^1]!["content"]!.GetValue<string>());
        Assert.Equal("headroom_retrieve", JsonNode.Parse(upstream.Requests.First().Body)!["tools"]![0]!["function"]!["name"]!.GetValue<string>());
    }
}
