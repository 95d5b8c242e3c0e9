using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Models.Messages;

namespace Headroom.Client.Tests;

/// <summary>The official Anthropic SDK over <c>HttpClient(new HeadroomHandler(...))</c>, against a scripted provider.</summary>
public sealed class AnthropicHandlerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string Question = "Which instance failed to spawn?";

    private static T Raw<T>(string json, Func<IReadOnlyDictionary<string, JsonElement>, T> from) =>
        from(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!);

    /// <summary>The agent's turn so far: the question, a Bash call and its (large) output; then <paramref name="more"/>.</summary>
    private static MessageCreateParams Conversation(params MessageParam[] more) => new()
    {
        Model = "claude-sonnet-4-5",
        MaxTokens = 1024,
        Tools = [Raw("""{"name":"Bash","input_schema":{"type":"object","properties":{"command":{"type":"string"}}}}""", Tool.FromRawUnchecked)],
        Messages =
        [
            new UserMessageParam(Question),
            Raw("""{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"cat nova.log"}}]}""", AssistantMessageParam.FromRawUnchecked),
            Raw(new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray { new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = "toolu_1", ["content"] = ToolOutputs.Log } },
            }.ToJsonString(), UserMessageParam.FromRawUnchecked),
            .. more,
        ],
    };

    private static string Message(string stopReason, int input, int output, params JsonObject[] content) => new JsonObject
    {
        ["id"] = "msg_" + input, ["type"] = "message", ["role"] = "assistant", ["model"] = "claude-sonnet-4-5",
        ["content"] = new JsonArray(content), ["stop_reason"] = stopReason, ["stop_sequence"] = null,
        ["usage"] = new JsonObject { ["input_tokens"] = input, ["cache_creation_input_tokens"] = 0, ["cache_read_input_tokens"] = 0, ["output_tokens"] = output },
    }.ToJsonString();

    private static JsonObject Text(string text) => new() { ["type"] = "text", ["text"] = text };

    private static JsonObject RetrieveCall(string id) => new() { ["type"] = "tool_use", ["id"] = id, ["name"] = "headroom_retrieve", ["input"] = new JsonObject { ["hash"] = ToolOutputs.Hash } };

    private static AnthropicClient Client(ScriptedUpstream upstream, string dataDirectory) => new()
    {
        ApiKey = "sk-ant-client-test",
        BaseUrl = upstream.BaseAddress.ToString().TrimEnd('/'),
        MaxRetries = 0,
        HttpClient = new HttpClient(new HeadroomHandler(ToolOutputs.Options(dataDirectory))),
    };

    /// <summary>The tool_result content of the conversation's third message, as the upstream's bytes.</summary>
    private static string ForwardedOutput(Recorded request) =>
        ToolOutputs.RawToolOutput(request.Body, root => root.GetProperty("messages")[2].GetProperty("content")[0].GetProperty("content"));

    [Fact]
    public async Task Create_OutputCompressedWithMarker_RetrieveServedInProcess_SecondTurnReplayedByteForByte()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Json("/v1/messages", Message("tool_use", 1000, 20, Text("Let me read the whole log."), RetrieveCall("toolu_r1")));
        upstream.Json("/v1/messages", Message("end_turn", 9000, 30, Text("Instance 3edec1e4 failed to spawn.")));
        upstream.Json("/v1/messages", Message("end_turn", 1200, 10, Text("No valid host was found.")));
        var client = Client(upstream, ToolOutputs.NewDataDirectory());

        // Turn 1: the SDK sees the final answer only.
        var first = await client.Messages.Create(Conversation());

        Assert.Equal(StopReason.EndTurn, first.StopReason!.Value());
        var answer = Assert.Single(first.Content);
        Assert.True(answer.TryPickText(out var text));
        Assert.Equal("Instance 3edec1e4 failed to spawn.", text!.Text);
        Assert.Equal(10000, first.Usage.InputTokens);
        Assert.Equal(50, first.Usage.OutputTokens);

        var sent = upstream.Requests.ToArray();
        Assert.Equal(2, sent.Length);
        var compressed = ForwardedOutput(sent[0]);
        Assert.Contains("headroom_retrieve hash=" + ToolOutputs.Hash, compressed, StringComparison.Ordinal);
        Assert.True(compressed.Length < ToolOutputs.Log.Length / 2, $"the log reached the upstream at {compressed.Length} of {ToolOutputs.Log.Length} chars");
        output.WriteLine($"tool output: {ToolOutputs.Log.Length} chars sent by the SDK, {compressed.Length} bytes (JSON token) reached the upstream; request {sent[0].Body.Length} bytes");
        Assert.Contains(ToolOutputs.Failure, compressed, StringComparison.Ordinal);
        var tools = JsonNode.Parse(sent[0].Body)!["tools"]!.AsArray();
        Assert.Equal(["Bash", "headroom_retrieve"], tools.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal("Bearer sk-ant-client-test", sent[0].Headers["authorization"]);

        // The continuation extends the forwarded request and carries the original, served from the embedded store.
        var firstText = sent[0].Text;
        Assert.StartsWith(firstText[..firstText.LastIndexOf(']')], sent[1].Text, StringComparison.Ordinal);
        var continued = JsonNode.Parse(sent[1].Body)!["messages"]!.AsArray();
        Assert.Equal("toolu_r1", continued[^1]!["content"]![0]!["tool_use_id"]!.GetValue<string>());
        Assert.Equal(ToolOutputs.Log, continued[^1]!["content"]![0]!["content"]!.GetValue<string>());

        // Turn 2: the client resends its history (the original output); the upstream gets the bytes of turn 1.
        var second = await client.Messages.Create(Conversation(
            Raw("""{"role":"assistant","content":[{"type":"text","text":"Instance 3edec1e4 failed to spawn."}]}""", AssistantMessageParam.FromRawUnchecked),
            new UserMessageParam("Why?")));

        Assert.True(second.Content[0].TryPickText(out var why));
        Assert.Equal("No valid host was found.", why!.Text);
        var third = upstream.Requests.ToArray()[2];
        Assert.Equal(compressed, ForwardedOutput(third));
        Assert.Equal(JsonNode.Parse(sent[0].Body)!["tools"]!.ToJsonString(), JsonNode.Parse(third.Body)!["tools"]!.ToJsonString());
    }

    [Fact]
    public async Task CreateStreaming_RetrieveCallHeldBack_ContinuationStreamsInTheSameMessage()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Sse("/v1/messages", Events(
            ("message_start", """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1000,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}"""),
            ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me look. "}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":0}"""),
            ("content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_r1","name":"headroom_retrieve","input":{}}}"""),
            ("content_block_delta", $$$"""{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"hash\":\"{{{ToolOutputs.Hash}}}\"}"}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":1}"""),
            ("message_delta", """{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":20}}"""),
            ("message_stop", """{"type":"message_stop"}""")));
        upstream.Sse("/v1/messages", Events(
            ("message_start", """{"type":"message_start","message":{"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":9000,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}"""),
            ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Instance 3edec1e4 failed to spawn."}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":0}"""),
            ("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":30}}"""),
            ("message_stop", """{"type":"message_stop"}""")));
        var client = Client(upstream, ToolOutputs.NewDataDirectory());

        var text = new StringBuilder();
        var toolBlocks = new List<string>();
        string? stop = null;
        await foreach (var ev in client.Messages.CreateStreaming(Conversation()))
        {
            if (ev.TryPickContentBlockStart(out var start) && start.ContentBlock.TryPickToolUse(out var tool))
            {
                toolBlocks.Add(tool.Name);
            }
            else if (ev.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var t))
            {
                text.Append(t.Text);
            }
            else if (ev.TryPickDelta(out var messageDelta))
            {
                stop = messageDelta.Delta.StopReason?.Value().ToString();
            }
        }

        Assert.Equal("Let me look. Instance 3edec1e4 failed to spawn.", text.ToString());
        Assert.Empty(toolBlocks);
        Assert.Equal(nameof(StopReason.EndTurn), stop);
        var sent = upstream.Requests.ToArray();
        Assert.Equal(2, sent.Length);
        Assert.Contains("headroom_retrieve hash=" + ToolOutputs.Hash, ForwardedOutput(sent[0]), StringComparison.Ordinal);
        var continued = JsonNode.Parse(sent[1].Body)!["messages"]!.AsArray();
        Assert.Equal(ToolOutputs.Log, continued[^1]!["content"]![0]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_RetrieveOfAnotherKeysOriginal_FindsNothing_AndOwnHeadersNeverLeave()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Json("/v1/messages", Message("end_turn", 1000, 20, Text("Instance 3edec1e4.")));
        upstream.Json("/v1/messages", Message("tool_use", 100, 20, RetrieveCall("toolu_r9")));
        upstream.Json("/v1/messages", Message("end_turn", 200, 10, Text("I cannot read it.")));
        var dataDirectory = ToolOutputs.NewDataDirectory();

        // Key A's output is compressed: its original is stored for key A.
        await Client(upstream, dataDirectory).Messages.Create(Conversation());
        Assert.Contains("headroom_retrieve hash=" + ToolOutputs.Hash, ForwardedOutput(upstream.Requests.ToArray()[0]), StringComparison.Ordinal);

        // Key B's model asks for it by hash (copied, forged or guessed): nothing is served.
        var other = new AnthropicClient
        {
            ApiKey = "sk-ant-other-key",
            BaseUrl = upstream.BaseAddress.ToString().TrimEnd('/'),
            MaxRetries = 0,
            HttpClient = new HttpClient(new HeadroomHandler(ToolOutputs.Options(dataDirectory))),
        };
        var answer = await other.Messages.Create(new MessageCreateParams
        {
            Model = "claude-sonnet-4-5",
            MaxTokens = 1024,
            Tools = [Raw("""{"name":"Bash","input_schema":{"type":"object"}}""", Tool.FromRawUnchecked)],
            Messages = [new UserMessageParam(Question)],
        });

        Assert.True(answer.Content[0].TryPickText(out var text));
        Assert.Equal("I cannot read it.", text!.Text);
        var sent = upstream.Requests.ToArray();
        Assert.Equal(3, sent.Length);
        var served = JsonNode.Parse(sent[2].Body)!["messages"]!.AsArray()[^1]!["content"]![0]!;
        Assert.Equal("toolu_r9", served["tool_use_id"]!.GetValue<string>());
        Assert.StartsWith("No original is stored for hash " + ToolOutputs.Hash, served["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(ToolOutputs.Failure, sent[2].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OwnHeaders_AreReadForTheSession_AndNeverLeave()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Json("/v1/messages", Message("end_turn", 10, 2, Text("ok")));
        using var http = new HttpClient(new HeadroomHandler(ToolOutputs.Options(ToolOutputs.NewDataDirectory())));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(upstream.BaseAddress, "v1/messages"))
        {
            Content = new StringContent("""{"model":"claude-sonnet-4-5","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "sk-ant-headers");
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("x-headroom-session-id", "session-42");
        request.Headers.Add("x-headroom-mode", "off");

        using var response = await http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(upstream.Requests);
        Assert.DoesNotContain(sent.Headers.Keys, k => k.StartsWith("x-headroom-", StringComparison.Ordinal));
        Assert.Equal("sk-ant-headers", sent.Headers["x-api-key"]);
        Assert.Equal("""{"model":"claude-sonnet-4-5","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""", sent.Text);
    }

    private static string Events(params (string Name, string Data)[] events) =>
        string.Concat(events.Select(e => $"event: {e.Name}\ndata: {e.Data}\n\n"));
}
