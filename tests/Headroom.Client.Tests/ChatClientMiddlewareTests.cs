using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Headroom.Client.Tests;

/// <summary><c>ChatClientBuilder.UseHeadroom</c> over Microsoft.Extensions.AI's OpenAI chat client, against a scripted provider.</summary>
public sealed class ChatClientMiddlewareTests
{
    private static IChatClient Build(ScriptedUpstream upstream, string dataDirectory)
    {
        var openai = new OpenAI.Chat.ChatClient("gpt-5", new ApiKeyCredential("sk-meai-client-test"), new OpenAIClientOptions
        {
            Endpoint = new Uri(upstream.BaseAddress, "v1"),
            Transport = new HttpClientPipelineTransport(new HttpClient()),
        });
        return openai.AsIChatClient().AsBuilder().UseHeadroom(ToolOutputs.Options(dataDirectory)).Build();
    }

    private static List<ChatMessage> Conversation() =>
    [
        new(ChatRole.User, "Which instance failed to spawn?"),
        new(ChatRole.Assistant, [new FunctionCallContent("call_1", "Bash", new Dictionary<string, object?> { ["command"] = "cat nova.log" })]),
        new(ChatRole.Tool, [new FunctionResultContent("call_1", ToolOutputs.Log)]),
    ];

    private static ChatOptions Options() => new()
    {
        Tools = [AIFunctionFactory.CreateDeclaration("Bash", "Runs a shell command", JsonDocument.Parse("""{"type":"object","properties":{"command":{"type":"string"}}}""").RootElement)],
    };

    [Fact]
    public async Task GetResponse_ToolResultCompressedWithMarker_RetrieveServedLocally_SecondTurnReplayedByteForByte()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Json("/v1/chat/completions", OpenAIHandlerTests.Completion("tool_calls", 1000, 20, OpenAIHandlerTests.RetrieveCall("call_r")));
        upstream.Json("/v1/chat/completions", OpenAIHandlerTests.Completion("stop", 9000, 30, OpenAIHandlerTests.Answer("Instance 3edec1e4 failed to spawn.")));
        upstream.Json("/v1/chat/completions", OpenAIHandlerTests.Completion("stop", 1200, 10, OpenAIHandlerTests.Answer("No valid host was found.")));
        using var client = Build(upstream, ToolOutputs.NewDataDirectory());

        // Turn 1: the caller sees the final answer only; its own messages are left as they were.
        var messages = Conversation();
        var first = await client.GetResponseAsync(messages, Options());

        Assert.Equal("Instance 3edec1e4 failed to spawn.", first.Text);
        Assert.DoesNotContain(first.Messages.SelectMany(m => m.Contents), c => c is FunctionCallContent);
        Assert.Equal(10000, first.Usage?.InputTokenCount);
        Assert.Equal(ToolOutputs.Log, ((FunctionResultContent)messages[2].Contents[0]).Result);

        var sent = upstream.Requests.ToArray();
        Assert.Equal(2, sent.Length);
        var compressed = OpenAIHandlerTests.ForwardedOutput(sent[0]);
        Assert.Contains("headroom_retrieve hash=" + ToolOutputs.Hash, compressed, StringComparison.Ordinal);
        Assert.True(compressed.Length < ToolOutputs.Log.Length / 2, $"the log reached the upstream at {compressed.Length} of {ToolOutputs.Log.Length} chars");
        var tools = JsonNode.Parse(sent[0].Body)!["tools"]!.AsArray();
        Assert.Equal(["Bash", "headroom_retrieve"], tools.Select(t => t!["function"]!["name"]!.GetValue<string>()));
        var continued = JsonNode.Parse(sent[1].Body)!["messages"]!.AsArray();
        Assert.Equal("call_r", continued[^1]!["tool_call_id"]!.GetValue<string>());
        Assert.Equal(ToolOutputs.Log, continued[^1]!["content"]!.GetValue<string>());

        // Turn 2: the same history plus the answer; the tool result reaches the upstream as the bytes of turn 1.
        messages.AddRange(first.Messages);
        messages.Add(new ChatMessage(ChatRole.User, "Why?"));
        var second = await client.GetResponseAsync(messages, Options());

        Assert.Equal("No valid host was found.", second.Text);
        var third = upstream.Requests.ToArray()[2];
        Assert.Equal(compressed, OpenAIHandlerTests.ForwardedOutput(third));
        Assert.Equal(JsonNode.Parse(sent[0].Body)!["tools"]!.ToJsonString(), JsonNode.Parse(third.Body)!["tools"]!.ToJsonString());
    }

    [Fact]
    public async Task GetStreamingResponse_RetrieveCallHeldBack_ContinuationStreamsToTheCaller()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Sse("/v1/chat/completions", Chunks(
            """{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_r","type":"function","function":{"name":"headroom_retrieve","arguments":""}}]}""",
            $$$"""{"tool_calls":[{"index":0,"function":{"arguments":"{\"hash\":\"{{{ToolOutputs.Hash}}}\"}"}}]}""",
            finish: "tool_calls"));
        upstream.Sse("/v1/chat/completions", Chunks(
            """{"role":"assistant","content":"Instance 3edec1e4 "}""",
            """{"content":"failed to spawn."}""",
            finish: "stop"));
        using var client = Build(upstream, ToolOutputs.NewDataDirectory());

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Conversation(), Options()))
        {
            updates.Add(update);
        }

        Assert.Equal("Instance 3edec1e4 failed to spawn.", string.Concat(updates.Select(u => u.Text)));
        Assert.DoesNotContain(updates.SelectMany(u => u.Contents), c => c is FunctionCallContent);
        var sent = upstream.Requests.ToArray();
        Assert.Equal(2, sent.Length);
        Assert.Contains("headroom_retrieve hash=" + ToolOutputs.Hash, OpenAIHandlerTests.ForwardedOutput(sent[0]), StringComparison.Ordinal);
        var continued = JsonNode.Parse(sent[1].Body)!["messages"]!.AsArray();
        Assert.Equal(ToolOutputs.Log, continued[^1]!["content"]!.GetValue<string>());
    }

    internal static string Chunks(string first, string second, string finish)
    {
        static string Chunk(string delta, string? finish) =>
            $$"""data: {"id":"chatcmpl-s","object":"chat.completion.chunk","created":1764633600,"model":"gpt-5","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{(finish is null ? "null" : "\"" + finish + "\"")}}}]}""" + "\n\n";

        return Chunk(first, null) + Chunk(second, null) + Chunk("{}", finish) + "data: [DONE]\n\n";
    }
}
