using System.ClientModel;
using System.Text;
using System.Text.Json.Nodes;
using Headroom.Compressors.Markers;
using Headroom.Gateway.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // the Responses client is marked experimental in SDK 2.15

namespace Headroom.Gateway.Tests.Retrieval;

/// <summary>Streamed OpenAI turns that call headroom_retrieve are continued inside the gateway; the SDK never sees the call.</summary>
public sealed class OpenAIStreamRetrievalTests
{
    private static readonly string Log = string.Join('\n', File.ReadLines(SharedData.Path("logs", "Zookeeper", "Zookeeper_2k.log")).Take(500));
    private static readonly string Hash = ContentHash.Compute(Log);

    private static string Sse(params JsonObject[] events) =>
        string.Concat(events.Select(e => e["type"] is { } t && t.GetValue<string>().StartsWith("response.", StringComparison.Ordinal)
            ? $"event: {t.GetValue<string>()}\ndata: {e.ToJsonString()}\n\n"
            : $"data: {e.ToJsonString()}\n\n"));

    private static JsonObject Response(string id, string status, JsonArray output, JsonObject? usage) => new()
    {
        ["id"] = id, ["object"] = "response", ["created_at"] = 1741290958, ["status"] = status, ["model"] = "gpt-5",
        ["output"] = output, ["parallel_tool_calls"] = true, ["tool_choice"] = "auto", ["tools"] = new JsonArray(), ["usage"] = usage,
    };

    private static JsonObject Message(string id, string text) => new()
    {
        ["id"] = id, ["type"] = "message", ["status"] = "completed", ["role"] = "assistant",
        ["content"] = new JsonArray { new JsonObject { ["type"] = "output_text", ["text"] = text, ["annotations"] = new JsonArray() } },
    };

    private static JsonObject Usage(int input, int output) => new()
    {
        ["input_tokens"] = input, ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 },
        ["output_tokens"] = output, ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 }, ["total_tokens"] = input + output,
    };

    private static JsonObject Ev(string type, int seq, JsonObject? fields = null)
    {
        var e = new JsonObject { ["type"] = type, ["sequence_number"] = seq };
        foreach (var (k, v) in fields ?? [])
        {
            e[k] = v?.DeepClone();
        }

        return e;
    }

    private static IEnumerable<JsonObject> TextItem(int outputIndex, string id, string text, int seq) =>
    [
        Ev("response.output_item.added", seq, new() { ["output_index"] = outputIndex, ["item"] = new JsonObject { ["id"] = id, ["type"] = "message", ["status"] = "in_progress", ["role"] = "assistant", ["content"] = new JsonArray() } }),
        Ev("response.output_text.delta", seq + 1, new() { ["item_id"] = id, ["output_index"] = outputIndex, ["content_index"] = 0, ["delta"] = text }),
        Ev("response.output_item.done", seq + 2, new() { ["output_index"] = outputIndex, ["item"] = Message(id, text) }),
    ];

    [Fact]
    public async Task ResponsesStream_RetrieveCallIsContinued_SdkSeesOneAnswer()
    {
        var call = new JsonObject { ["id"] = "fc_1", ["type"] = "function_call", ["status"] = "completed", ["call_id"] = "call_r", ["name"] = "headroom_retrieve", ["arguments"] = $"{{\"hash\":\"{Hash}\"}}" };
        var firstEvents = new List<JsonObject> { Ev("response.created", 0, new() { ["response"] = Response("resp_1", "in_progress", [], null) }) };
        firstEvents.AddRange(TextItem(0, "msg_1", "Let me check. ", 1));
        firstEvents.Add(Ev("response.output_item.added", 4, new() { ["output_index"] = 1, ["item"] = new JsonObject { ["id"] = "fc_1", ["type"] = "function_call", ["status"] = "in_progress", ["call_id"] = "call_r", ["name"] = "headroom_retrieve", ["arguments"] = "" } }));
        firstEvents.Add(Ev("response.function_call_arguments.done", 5, new() { ["item_id"] = "fc_1", ["output_index"] = 1, ["arguments"] = $"{{\"hash\":\"{Hash}\"}}" }));
        firstEvents.Add(Ev("response.output_item.done", 6, new() { ["output_index"] = 1, ["item"] = call }));
        firstEvents.Add(Ev("response.completed", 7, new() { ["response"] = Response("resp_1", "completed", [Message("msg_1", "Let me check. "), call.DeepClone()], Usage(1000, 20)) }));
        var secondEvents = new List<JsonObject> { Ev("response.created", 0, new() { ["response"] = Response("resp_2", "in_progress", [], null) }) };
        secondEvents.AddRange(TextItem(0, "msg_2", "Session 0x1 expired.", 1));
        secondEvents.Add(Ev("response.completed", 4, new() { ["response"] = Response("resp_2", "completed", [Message("msg_2", "Session 0x1 expired.")], Usage(9000, 30)) }));

        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Next("/v1/responses", UpstreamReply.Json(Response("resp_0", "completed", [Message("msg_0", "ok")], Usage(10, 1)).ToJsonString()));
        upstream.Next("/v1/responses", UpstreamReply.Sse(Sse([.. firstEvents])));
        upstream.Next("/v1/responses", UpstreamReply.Sse(Sse([.. secondEvents])));
        await using var gateway = await TestGateway.StartAsync(upstream);

        // Priming turn: a tool output the gateway compresses and keeps the original of; the streamed
        // request declares a client tool (as agents do), so it carries the retrieve tool too.
        var priming = new JsonObject
        {
            ["model"] = "gpt-5",
            ["input"] = new JsonArray
            {
                new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = new JsonArray { new JsonObject { ["type"] = "input_text", ["text"] = "Why did the session expire?" } } },
                new JsonObject { ["type"] = "function_call", ["call_id"] = "c1", ["name"] = "exec_command", ["arguments"] = "{\"cmd\":\"cat zk.log\"}" },
                new JsonObject { ["type"] = "function_call_output", ["call_id"] = "c1", ["output"] = Log },
            },
        }.ToJsonString();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/responses") { Content = new StringContent(priming, Encoding.UTF8, "application/json") })
        {
            request.Headers.Add("Authorization", "Bearer sk-proj-stream");
            using var primed = await gateway.Client.SendAsync(request);
            Assert.Contains("headroom_retrieve hash=" + Hash, Encoding.UTF8.GetString(upstream.Requests.Single().Body), StringComparison.Ordinal);
        }

        var client = new ResponsesClient(new ApiKeyCredential("sk-proj-stream"), new ResponsesClientOptions { Endpoint = new Uri(gateway.BaseUrl + "/v1"), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });
        var options = new CreateResponseOptions { Model = "gpt-5", StreamingEnabled = true };
        options.InputItems.Add(ResponseItem.CreateUserMessageItem("Why did the session expire?"));
        options.Tools.Add(ResponseTool.CreateFunctionTool("exec_command", BinaryData.FromString("""{"type":"object","properties":{"cmd":{"type":"string"}}}"""), strictModeEnabled: false));
        var text = new StringBuilder();
        var sawCall = false;
        ResponseTokenUsage? usage = null;
        await foreach (var update in await client.CreateResponseStreamingAsync(options))
        {
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    text.Append(delta.Delta);
                    break;
                case StreamingResponseOutputItemAddedUpdate added when added.Item is FunctionCallResponseItem:
                    sawCall = true;
                    break;
                case StreamingResponseCompletedUpdate completed:
                    usage = completed.Response.Usage;
                    break;
            }
        }

        Assert.Equal("Let me check. Session 0x1 expired.", text.ToString());
        Assert.False(sawCall);
        Assert.Equal(10000, usage!.InputTokenCount);
        Assert.Equal(3, upstream.Requests.Count);
        var continuation = JsonNode.Parse(upstream.Requests.ElementAt(2).Body)!["input"]!.AsArray();
        Assert.Equal("function_call_output", continuation[^1]!["type"]!.GetValue<string>());
        Assert.Equal(Log, continuation[^1]!["output"]!.GetValue<string>());
        Assert.Equal("headroom_retrieve", continuation[^2]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task ChatStream_RetrieveCallIsContinued_SdkSeesOneAnswer()
    {
        static JsonObject Chunk(JsonObject delta, string? finish = null) => new()
        {
            ["id"] = "chatcmpl-1", ["object"] = "chat.completion.chunk", ["created"] = 1, ["model"] = "gpt-4.1",
            ["choices"] = new JsonArray { new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish } },
        };
        var first = Sse(
            Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "Checking. " }),
            Chunk(new JsonObject { ["tool_calls"] = new JsonArray { new JsonObject { ["index"] = 0, ["id"] = "call_r", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "headroom_retrieve", ["arguments"] = "" } } } }),
            Chunk(new JsonObject { ["tool_calls"] = new JsonArray { new JsonObject { ["index"] = 0, ["function"] = new JsonObject { ["arguments"] = $"{{\"hash\":\"{Hash}\"}}" } } } }),
            Chunk(new JsonObject(), "tool_calls")) + "data: [DONE]\n\n";
        var second = Sse(
            Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "Session 0x1 expired." }),
            Chunk(new JsonObject(), "stop")) + "data: [DONE]\n\n";

        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Next("/v1/chat/completions", UpstreamReply.Json(Fixture.Text("openai-chat-completion.json")));
        upstream.Next("/v1/chat/completions", UpstreamReply.Sse(first));
        upstream.Next("/v1/chat/completions", UpstreamReply.Sse(second));
        await using var gateway = await TestGateway.StartAsync(upstream);

        var priming = new JsonObject
        {
            ["model"] = "gpt-4.1",
            ["messages"] = new JsonArray
            {
                new JsonObject { ["role"] = "user", ["content"] = "Why did the session expire?" },
                new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray { new JsonObject { ["id"] = "c1", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "exec_command", ["arguments"] = "{}" } } } },
                new JsonObject { ["role"] = "tool", ["tool_call_id"] = "c1", ["content"] = Log },
            },
        }.ToJsonString();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(priming, Encoding.UTF8, "application/json") })
        {
            request.Headers.Add("Authorization", "Bearer sk-proj-chat");
            using var primed = await gateway.Client.SendAsync(request);
        }

        var chat = new ChatClient("gpt-4.1", new ApiKeyCredential("sk-proj-chat"), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseUrl + "/v1"), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });
        var text = new StringBuilder();
        var calls = 0;
        ChatFinishReason? finish = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Why did the session expire?")], new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("exec_command", "Runs a shell command", BinaryData.FromString("""{"type":"object","properties":{"cmd":{"type":"string"}}}""")) } }))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            calls += update.ToolCallUpdates.Count;
            finish ??= update.FinishReason;
        }

        Assert.Equal("Checking. Session 0x1 expired.", text.ToString());
        Assert.Equal(0, calls);
        Assert.Equal(ChatFinishReason.Stop, finish);
        var continuation = JsonNode.Parse(upstream.Requests.ElementAt(2).Body)!["messages"]!.AsArray();
        Assert.Equal("call_r", continuation[^1]!["tool_call_id"]!.GetValue<string>());
        Assert.Equal(Log, continuation[^1]!["content"]!.GetValue<string>());
    }
}
