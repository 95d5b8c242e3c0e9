using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;

namespace Headroom.Client.Tests;

/// <summary>The official OpenAI SDK (Chat Completions) over <c>HttpClient(new HeadroomHandler(...))</c>, against a scripted provider.</summary>
public sealed class OpenAIHandlerTests
{
    internal static string Completion(string finishReason, int prompt, int completion, JsonObject message) => new JsonObject
    {
        ["id"] = "chatcmpl-" + prompt, ["object"] = "chat.completion", ["created"] = 1764633600, ["model"] = "gpt-5",
        ["choices"] = new JsonArray { new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finishReason } },
        ["usage"] = new JsonObject { ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["total_tokens"] = prompt + completion },
    }.ToJsonString();

    internal static JsonObject Answer(string text) => new() { ["role"] = "assistant", ["content"] = text };

    internal static JsonObject RetrieveCall(string id) => new()
    {
        ["role"] = "assistant", ["content"] = null,
        ["tool_calls"] = new JsonArray { new JsonObject { ["id"] = id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = "headroom_retrieve", ["arguments"] = $"{{\"hash\":\"{ToolOutputs.Hash}\"}}" } } },
    };

    /// <summary>The content of the tool message answering <c>call_1</c>, as the upstream's bytes.</summary>
    internal static string ForwardedOutput(Recorded request) =>
        ToolOutputs.RawToolOutput(request.Body, root => root.GetProperty("messages").EnumerateArray()
            .First(m => m.GetProperty("role").GetString() == "tool" && m.GetProperty("tool_call_id").GetString() == "call_1").GetProperty("content"));

    private static List<ChatMessage> Conversation() =>
    [
        new UserChatMessage("Which instance failed to spawn?"),
        new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("call_1", "Bash", BinaryData.FromString("""{"command":"cat nova.log"}"""))]),
        new ToolChatMessage("call_1", ToolOutputs.Log),
    ];

    [Fact]
    public async Task CompleteChat_OutputCompressedWithMarker_RetrieveServedInProcess_SecondTurnReplayedByteForByte()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Json("/v1/chat/completions", Completion("tool_calls", 1000, 20, RetrieveCall("call_r")));
        upstream.Json("/v1/chat/completions", Completion("stop", 9000, 30, Answer("Instance 3edec1e4 failed to spawn.")));
        upstream.Json("/v1/chat/completions", Completion("stop", 1200, 10, Answer("No valid host was found.")));
        var http = new HttpClient(new HeadroomHandler(ToolOutputs.Options(ToolOutputs.NewDataDirectory())));
        var client = new ChatClient("gpt-5", new ApiKeyCredential("sk-openai-client-test"), new OpenAIClientOptions
        {
            Endpoint = new Uri(upstream.BaseAddress, "v1"),
            Transport = new HttpClientPipelineTransport(http),
            NetworkTimeout = TimeSpan.FromMinutes(2),
        });
        var options = new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("Bash", "Runs a shell command", BinaryData.FromString("""{"type":"object","properties":{"command":{"type":"string"}}}""")) } };

        // Turn 1: the SDK sees the final answer only.
        var messages = Conversation();
        ChatCompletion first = await client.CompleteChatAsync(messages, options);

        Assert.Equal(ChatFinishReason.Stop, first.FinishReason);
        Assert.Empty(first.ToolCalls);
        Assert.Equal("Instance 3edec1e4 failed to spawn.", first.Content[0].Text);
        Assert.Equal(10000, first.Usage.InputTokenCount);

        var sent = upstream.Requests.ToArray();
        Assert.Equal(2, sent.Length);
        var compressed = ForwardedOutput(sent[0]);
        Assert.Contains("headroom_retrieve hash=" + ToolOutputs.Hash, compressed, StringComparison.Ordinal);
        Assert.True(compressed.Length < ToolOutputs.Log.Length / 2, $"the log reached the upstream at {compressed.Length} of {ToolOutputs.Log.Length} chars");
        var tools = JsonNode.Parse(sent[0].Body)!["tools"]!.AsArray();
        Assert.Equal(["Bash", "headroom_retrieve"], tools.Select(t => t!["function"]!["name"]!.GetValue<string>()));
        Assert.Equal("Bearer sk-openai-client-test", sent[0].Headers["authorization"]);
        var continued = JsonNode.Parse(sent[1].Body)!["messages"]!.AsArray();
        Assert.Equal("call_r", continued[^1]!["tool_call_id"]!.GetValue<string>());
        Assert.Equal(ToolOutputs.Log, continued[^1]!["content"]!.GetValue<string>());

        // Turn 2: the history is resent with the original output; the upstream gets the bytes of turn 1.
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new UserChatMessage("Why?"));
        ChatCompletion second = await client.CompleteChatAsync(messages, options);

        Assert.Equal("No valid host was found.", second.Content[0].Text);
        var third = upstream.Requests.ToArray()[2];
        Assert.Equal(compressed, ForwardedOutput(third));
        Assert.Equal(JsonNode.Parse(sent[0].Body)!["tools"]!.ToJsonString(), JsonNode.Parse(third.Body)!["tools"]!.ToJsonString());
    }

    [Fact]
    public async Task CompleteChatStreaming_RetrieveCallHeldBack_ContinuationStreamsInTheSameResponse()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Sse("/v1/chat/completions", ChatClientMiddlewareTests.Chunks(
            """{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_r","type":"function","function":{"name":"headroom_retrieve","arguments":""}}]}""",
            $$$"""{"tool_calls":[{"index":0,"function":{"arguments":"{\"hash\":\"{{{ToolOutputs.Hash}}}\"}"}}]}""",
            finish: "tool_calls"));
        upstream.Sse("/v1/chat/completions", ChatClientMiddlewareTests.Chunks(
            """{"role":"assistant","content":"Instance 3edec1e4 "}""",
            """{"content":"failed to spawn."}""",
            finish: "stop"));
        var http = new HttpClient(new HeadroomHandler(ToolOutputs.Options(ToolOutputs.NewDataDirectory())));
        var client = new ChatClient("gpt-5", new ApiKeyCredential("sk-openai-client-test"), new OpenAIClientOptions
        {
            Endpoint = new Uri(upstream.BaseAddress, "v1"),
            Transport = new HttpClientPipelineTransport(http),
        });
        var options = new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("Bash", "Runs a shell command", BinaryData.FromString("""{"type":"object","properties":{"command":{"type":"string"}}}""")) } };

        var text = new System.Text.StringBuilder();
        var toolCalls = 0;
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync(Conversation(), options))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(c => c.Text)));
            toolCalls += update.ToolCallUpdates.Count;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal("Instance 3edec1e4 failed to spawn.", text.ToString());
        Assert.Equal(0, toolCalls);
        Assert.Equal(ChatFinishReason.Stop, finish);
        var sent = upstream.Requests.ToArray();
        Assert.Equal(2, sent.Length);
        Assert.Contains("headroom_retrieve hash=" + ToolOutputs.Hash, ForwardedOutput(sent[0]), StringComparison.Ordinal);
        var continued = JsonNode.Parse(sent[1].Body)!["messages"]!.AsArray();
        Assert.Equal(ToolOutputs.Log, continued[^1]!["content"]!.GetValue<string>());
    }
}
