using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Headroom.Compressors.Markers;
using Headroom.Gateway.Tests.Edge;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Retrieval;

/// <summary>
/// The retrieval loop relays at byte level: events that are not our tool call reach the client as the
/// upstream wrote them, as they arrive; our call is found however the stream is cut into reads.
/// </summary>
public sealed class ByteRelayTests
{
    private static readonly string Log = RetrievalRequests.Log;
    private static readonly string Hash = RetrievalRequests.Hash;

    private static string AnthropicRequest(bool stream) => RetrievalRequests.Anthropic(stream, toolOutput: Log);

    private static string Ev(string name, string json) => $"event: {name}\ndata: {json}\n\n";

    private static string MessageStart(string id, int input) =>
        Ev("message_start", $$$$"""{"type":"message_start","message":{"id":"{{{{id}}}}","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":{{{{input}}}},"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"output_tokens":1}}}""");

    private static string TextBlock(int index, string text) =>
        Ev("content_block_start", $$$"""{"type":"content_block_start","index":{{{index}}},"content_block":{"type":"text","text":""}}""")
        + Ev("content_block_delta", $$$"""{"type":"content_block_delta","index":{{{index}}},"delta":{"type":"text_delta","text":{{{JsonSerializer.Serialize(text)}}}}}""")
        + Ev("content_block_stop", $$$"""{"type":"content_block_stop","index":{{{index}}}}""");

    private static string ToolBlock(int index, string id, string name, params string[] partialJson) =>
        Ev("content_block_start", $$$$"""{"type":"content_block_start","index":{{{{index}}}},"content_block":{"type":"tool_use","id":"{{{{id}}}}","name":"{{{{name}}}}","input":{}}}""")
        + string.Concat(partialJson.Select(p => Ev("content_block_delta", $$$"""{"type":"content_block_delta","index":{{{index}}},"delta":{"type":"input_json_delta","partial_json":{{{JsonSerializer.Serialize(p)}}}}}""")))
        + Ev("content_block_stop", $$$"""{"type":"content_block_stop","index":{{{index}}}}""");

    private static string End(string stopReason, int output) =>
        Ev("message_delta", $$$"""{"type":"message_delta","delta":{"stop_reason":"{{{stopReason}}}","stop_sequence":null},"usage":{"output_tokens":{{{output}}}}}""")
        + Ev("message_stop", """{"type":"message_stop"}""");

    /// <summary>The bytes cut every <paramref name="size"/> bytes: names, numbers and blank lines fall across reads.</summary>
    private static UpstreamReply Pieces(string sse, int size)
    {
        var bytes = Encoding.UTF8.GetBytes(sse);
        return new UpstreamReply { ContentType = "text/event-stream", Chunks = bytes.Chunk(size).ToArray() };
    }

    private static async Task<(HttpResponseMessage Response, string Body)> PostAsync(TestGateway gateway, string path, string body, string? acceptEncoding = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", "sk-ant-relay");
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("Authorization", "Bearer sk-proj-relay");
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        var response = await gateway.Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The data of each event, parsed, in order.</summary>
    private static List<JsonObject> Events(string sse) =>
        sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('\n').FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal))?["data: ".Length..])
            .Where(d => d is not null && d != "[DONE]")
            .Select(d => JsonNode.Parse(d!)!.AsObject())
            .ToList();

    [Theory]
    [InlineData(5)]
    [InlineData(23)]
    [InlineData(4096)]
    public async Task Stream_RetrieveCallCutAcrossReads_IsHeldBackAndContinued(int pieceBytes)
    {
        var head = MessageStart("msg_1", 1000) + TextBlock(0, "Let me look. ");
        var first = head + ToolBlock(1, "toolu_r1", "headroom_retrieve", "{\"hash\": \"", Hash + "\"}") + End("tool_use", 20);
        var second = MessageStart("msg_2", 9000) + TextBlock(0, "Instance 3edec1e4 failed.") + End("end_turn", 30);
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Next("/v1/messages", Pieces(first, pieceBytes));
        upstream.Next("/v1/messages", Pieces(second, pieceBytes));
        await using var gateway = await TestGateway.StartAsync(upstream);

        var (response, body) = await PostAsync(gateway, "/v1/messages", AnthropicRequest(stream: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // What came before our call went out byte for byte as the upstream wrote it.
        Assert.StartsWith(head, body, StringComparison.Ordinal);
        Assert.DoesNotContain("headroom_retrieve", body, StringComparison.Ordinal);
        var events = Events(body);
        Assert.Equal([0, 1], events.Where(e => e["type"]!.GetValue<string>() == "content_block_start").Select(e => e["index"]!.GetValue<int>()));
        Assert.Equal("Let me look. Instance 3edec1e4 failed.", string.Concat(events.Select(e => e["delta"]?["text"]?.GetValue<string>())));
        var delta = events.Single(e => e["type"]!.GetValue<string>() == "message_delta");
        Assert.Equal("end_turn", delta["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.Equal(50, delta["usage"]!["output_tokens"]!.GetValue<int>());
        Assert.Single(events, e => e["type"]!.GetValue<string>() == "message_stop");

        var sent = upstream.Requests.ToArray();
        Assert.Equal(2, sent.Length);
        var messages = JsonNode.Parse(sent[1].Body)!["messages"]!.AsArray();
        var call = messages[^2]!["content"]![1]!;
        Assert.Equal("headroom_retrieve", call["name"]!.GetValue<string>());
        Assert.Equal(Hash, call["input"]!["hash"]!.GetValue<string>());
        Assert.Equal("Let me look. ", messages[^2]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(Log, messages[^1]!["content"]![0]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_OurCallBeforeTheClientsCall_ClientGetsItsCallRenumbered_NothingIsContinued()
    {
        var stream = MessageStart("msg_1", 1000) + TextBlock(0, "Two things. ")
            + ToolBlock(1, "toolu_r1", "headroom_retrieve", $"{{\"hash\":\"{Hash}\"}}")
            + ToolBlock(2, "toolu_b", "Bash", "{\"command\":", "\"ls\"}") + End("tool_use", 20);
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Next("/v1/messages", Pieces(stream, 7));
        await using var gateway = await TestGateway.StartAsync(upstream);

        var (_, body) = await PostAsync(gateway, "/v1/messages", AnthropicRequest(stream: true));

        Assert.DoesNotContain("headroom_retrieve", body, StringComparison.Ordinal);
        var events = Events(body);
        var starts = events.Where(e => e["type"]!.GetValue<string>() == "content_block_start").ToList();
        Assert.Equal([0, 1], starts.Select(e => e["index"]!.GetValue<int>()));
        Assert.Equal("Bash", starts[1]["content_block"]!["name"]!.GetValue<string>());
        // The Bash block's deltas and stop follow it to index 1; its arguments arrive whole.
        var bash = events.Where(e => e["type"]!.GetValue<string>() is "content_block_delta" or "content_block_stop" && e["index"]!.GetValue<int>() == 1).ToList();
        Assert.Equal(3, bash.Count);
        Assert.Equal("{\"command\":\"ls\"}", string.Concat(bash.Select(e => e["delta"]?["partial_json"]?.GetValue<string>())));
        Assert.DoesNotContain(events, e => e["index"]?.GetValue<int>() == 2);
        Assert.Equal("tool_use", events.Single(e => e["type"]!.GetValue<string>() == "message_delta")["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.Single(upstream.Requests);
    }

    [Fact]
    public async Task ChatStream_OurCallBeforeTheClientsCall_ClientGetsItsCallAtIndexZero()
    {
        static string Chunk(string delta, string finish = "null") =>
            $$$"""data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{{{delta}}},"finish_reason":{{{finish}}}}]}""" + "\n\n";
        var head = Chunk("""{"role":"assistant","content":"Checking. "}""");
        var stream = head
            + Chunk("""{"tool_calls":[{"index":0,"id":"call_r","type":"function","function":{"name":"headroom_retrieve","arguments":""}}]}""")
            + Chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":" + JsonSerializer.Serialize($"{{\"hash\":\"{Hash}\"}}") + "}}]}")
            + Chunk("""{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"exec_command","arguments":""}}]}""")
            + Chunk("""{"tool_calls":[{"index":1,"function":{"arguments":"{\"cmd\":\"ls\"}"}}]}""")
            + Chunk("{}", "\"tool_calls\"") + "data: [DONE]\n\n";
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Next("/v1/chat/completions", Pieces(stream, 11));
        await using var gateway = await TestGateway.StartAsync(upstream);
        var request = new JsonObject
        {
            ["model"] = "gpt-4.1", ["stream"] = true,
            ["tools"] = new JsonArray { new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = "exec_command", ["parameters"] = new JsonObject { ["type"] = "object" } } } },
            ["messages"] = new JsonArray { new JsonObject { ["role"] = "user", ["content"] = "list the files" } },
        }.ToJsonString();

        var (_, body) = await PostAsync(gateway, "/v1/chat/completions", request);

        Assert.StartsWith(head, body, StringComparison.Ordinal);
        Assert.DoesNotContain("headroom_retrieve", body, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        var calls = Events(body).SelectMany(e => e["choices"]?[0]?["delta"]?["tool_calls"]?.AsArray() ?? []).ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal(0, c!["index"]!.GetValue<int>()));
        Assert.Equal("call_b", calls[0]!["id"]!.GetValue<string>());
        Assert.Equal("{\"cmd\":\"ls\"}", calls[1]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("tool_calls", Events(body).Last()["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Single(upstream.Requests);
    }

    [Fact]
    public async Task Stream_GzipUpstreamWithOurCall_IsReadDecodedAndContinued()
    {
        var first = MessageStart("msg_1", 1000) + TextBlock(0, "Let me look. ") + ToolBlock(1, "toolu_r1", "headroom_retrieve", $"{{\"hash\":\"{Hash}\"}}") + End("tool_use", 20);
        var second = MessageStart("msg_2", 9000) + TextBlock(0, "Instance 3edec1e4 failed.") + End("end_turn", 30);
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Next("/v1/messages", EncodedReplies.Sse("gzip", first));
        upstream.Next("/v1/messages", EncodedReplies.Sse("gzip", second));
        await using var gateway = await TestGateway.StartAsync(upstream);

        var (response, body) = await PostAsync(gateway, "/v1/messages", AnthropicRequest(stream: true), acceptEncoding: "gzip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.StartsWith(MessageStart("msg_1", 1000) + TextBlock(0, "Let me look. "), body, StringComparison.Ordinal);
        Assert.DoesNotContain("headroom_retrieve", body, StringComparison.Ordinal);
        Assert.Equal("Let me look. Instance 3edec1e4 failed.", string.Concat(Events(body).Select(e => e["delta"]?["text"]?.GetValue<string>())));
        var sent = upstream.Requests.ToArray();
        Assert.Equal(2, sent.Length);
        Assert.All(sent, r => Assert.Equal("gzip", r.Headers["accept-encoding"]));
        Assert.Equal(Log, JsonNode.Parse(sent[1].Body)!["messages"]!.AsArray()[^1]!["content"]![0]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_EachEventReachesTheClientBeforeTheUpstreamSendsTheNext()
    {
        var head = MessageStart("msg_1", 1000) + Ev("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""");
        var tail = Ev("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"done"}}""")
            + Ev("content_block_stop", """{"type":"content_block_stop","index":0}""") + End("end_turn", 3);
        var clientHasHead = new TaskCompletionSource();
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Next("/v1/messages", new UpstreamReply
        {
            ContentType = "text/event-stream",
            Chunks = [Encoding.UTF8.GetBytes(head), Encoding.UTF8.GetBytes(tail)],
            GatesBeforeChunk = new Dictionary<int, Task> { [1] = clientHasHead.Task },
        });
        await using var gateway = await TestGateway.StartAsync(upstream);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(AnthropicRequest(stream: true), Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", "sk-ant-relay");

        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        // The upstream sends the rest only once the client holds the first two events: a gateway that
        // buffered them would leave this read waiting until the upstream gave up.
        var received = new MemoryStream();
        var buffer = new byte[4096];
        using (var guard = new CancellationTokenSource(TimeSpan.FromSeconds(25)))
        {
            while (received.Length < Encoding.UTF8.GetByteCount(head))
            {
                var read = await stream.ReadAsync(buffer, guard.Token);
                Assert.True(read > 0, "the stream ended before the first events arrived");
                received.Write(buffer, 0, read);
            }
        }

        Assert.Equal(head, Encoding.UTF8.GetString(received.ToArray()));
        clientHasHead.SetResult();
        await stream.CopyToAsync(received);
        Assert.Equal(head + tail[..tail.IndexOf("event: message_delta", StringComparison.Ordinal)], Encoding.UTF8.GetString(received.ToArray())[..(head.Length + tail.IndexOf("event: message_delta", StringComparison.Ordinal))]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Json_WithoutOurCall_ReachesTheClientByteIdenticalWithItsLength(bool mentionsOurToolInText)
    {
        // Spacing, escapes and key order a re-serialization would change.
        var json = "{ \"id\": \"msg_9\", \"type\":\"message\",\"role\":\"assistant\",\n  \"model\":\"claude-sonnet-4-5-20250929\",\n  \"content\":[ {\"type\":\"text\",\"text\":\"caf\\u00e9 "
            + (mentionsOurToolInText ? "(I could call headroom_retrieve later) " : "")
            + "\\/ok\"} , {\"type\":\"tool_use\",\"id\":\"toolu_b\",\"name\":\"Bash\",\"input\":{\"command\" : \"ls\"}} ],\n  \"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":5} }";
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Next("/v1/messages", UpstreamReply.Json(json));
        await using var gateway = await TestGateway.StartAsync(upstream);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(AnthropicRequest(stream: false), Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", "sk-ant-relay");

        using var response = await gateway.Client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Encoding.UTF8.GetBytes(json), bytes);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.TransferEncodingChunked ?? false);
        Assert.Single(upstream.Requests);
    }

    [Fact]
    public async Task ResponsesStream_AfterOurHeldCall_SequenceNumbersAndOutputIndicesStayGapFree()
    {
        static string E(string type, int seq, string fields) => $"event: {type}\ndata: {{\"type\":\"{type}\",\"sequence_number\":{seq}{fields}}}\n\n";
        static string Response(string id, string status, string output) =>
            $",\"response\":{{\"id\":\"{id}\",\"object\":\"response\",\"status\":\"{status}\",\"model\":\"gpt-5\",\"output\":[{output}],\"usage\":{(status == "completed" ? "{\"input_tokens\":10,\"output_tokens\":2,\"total_tokens\":12}" : "null")}}}";
        static string Message(string id, string text) =>
            $"{{\"id\":\"{id}\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{{\"type\":\"output_text\",\"text\":\"{text}\",\"annotations\":[]}}]}}";
        static string Text(int output, int seq, string id, string text) =>
            E("response.output_item.added", seq, $",\"output_index\":{output},\"item\":{{\"id\":\"{id}\",\"type\":\"message\",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}}")
            + E("response.output_text.delta", seq + 1, $",\"item_id\":\"{id}\",\"output_index\":{output},\"content_index\":0,\"delta\":\"{text}\"")
            + E("response.output_item.done", seq + 2, $",\"output_index\":{output},\"item\":{Message(id, text)}");
        var call = "{\"id\":\"fc_1\",\"type\":\"function_call\",\"status\":\"completed\",\"call_id\":\"call_r\",\"name\":\"headroom_retrieve\",\"arguments\":\"{\\\"hash\\\":\\\"0123456789abcdef01234567\\\"}\"}";
        var head = E("response.created", 0, Response("resp_1", "in_progress", "")) + E("response.in_progress", 1, Response("resp_1", "in_progress", ""))
            + Text(0, 2, "msg_1", "Let me check. ");
        var first = head
            + E("response.output_item.added", 5, ",\"output_index\":1,\"item\":{\"id\":\"fc_1\",\"type\":\"function_call\",\"status\":\"in_progress\",\"call_id\":\"call_r\",\"name\":\"headroom_retrieve\",\"arguments\":\"\"}")
            + E("response.function_call_arguments.done", 6, ",\"item_id\":\"fc_1\",\"output_index\":1,\"arguments\":\"{\\\"hash\\\":\\\"0123456789abcdef01234567\\\"}\"")
            + E("response.output_item.done", 7, $",\"output_index\":1,\"item\":{call}")
            + E("response.completed", 8, Response("resp_1", "completed", Message("msg_1", "Let me check. ") + "," + call));
        var second = E("response.created", 0, Response("resp_2", "in_progress", "")) + E("response.in_progress", 1, Response("resp_2", "in_progress", ""))
            + Text(0, 2, "msg_2", "Nothing stored.")
            + E("response.completed", 5, Response("resp_2", "completed", Message("msg_2", "Nothing stored.")));
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Next("/v1/responses", Pieces(first, 9));
        upstream.Next("/v1/responses", Pieces(second, 9));
        await using var gateway = await TestGateway.StartAsync(upstream);
        var request = "{\"model\":\"gpt-5\",\"stream\":true,\"tools\":[{\"type\":\"function\",\"name\":\"exec_command\",\"parameters\":{\"type\":\"object\"}}],\"input\":[{\"role\":\"user\",\"content\":\"why did it fail?\"}]}";

        var (_, body) = await PostAsync(gateway, "/v1/responses", request);

        // Before our call, the events are the upstream's bytes.
        Assert.StartsWith(head, body, StringComparison.Ordinal);
        Assert.DoesNotContain("headroom_retrieve", body, StringComparison.Ordinal);
        var events = Events(body);
        Assert.Equal(Enumerable.Range(0, 9), events.Select(e => e["sequence_number"]!.GetValue<int>()));
        Assert.Equal(["response.created", "response.in_progress", "response.output_item.added", "response.output_text.delta", "response.output_item.done",
            "response.output_item.added", "response.output_text.delta", "response.output_item.done", "response.completed"], events.Select(e => e["type"]!.GetValue<string>()));
        Assert.Equal([0, 0, 0, 1, 1, 1], events.Where(e => e["output_index"] is not null).Select(e => e["output_index"]!.GetValue<int>()));
        Assert.Equal(2, upstream.Requests.Count);
    }
}
