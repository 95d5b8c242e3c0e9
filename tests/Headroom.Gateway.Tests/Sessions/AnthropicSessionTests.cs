using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Headroom.Compressors.Markers;
using Headroom.Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Headroom.Gateway.Tests.Sessions;

/// <summary>
/// A 30-turn Claude Code-shaped session through the gateway: streaming requests with
/// system blocks, 8 tools, tool_use/tool_result turns and the client's own cache_control breakpoints
/// (on two system blocks and the last message, as Claude Code sends them, so the gateway's breakpoint
/// planner leaves the request alone); every turn resends the whole history with the outputs as the
/// client saw them. A streaming retrieve (turn 12) and a JSON retrieve (turn 21) are served inside the
/// gateway. The subscription credential rotates at turn 10 (Claude Code's OAuth bearer does), and the
/// session runs on one of two topologies: one gateway that restarts on its SQLite store after turn 15,
/// or two replicas on one PostgreSQL serving the turns alternately (a round-robin balancer).
/// </summary>
public sealed class AnthropicSessionTests(ITestOutputHelper output)
{
    private const string Model = "claude-sonnet-4-5-20250929";
    private const string SessionId = "4f1c2d8e-7a3b-4c5d-9e6f-0a1b2c3d4e5f";
    private const int StreamingRetrieveTurn = 12;
    private const int JsonRetrieveTurn = 21;
    private const int RestartAfterTurn = 15;
    private const int CredentialRotatesAtTurn = 10;
    private static readonly JsonObject Ephemeral = new() { ["type"] = "ephemeral" };

    [Theory]
    [InlineData("one gateway, restarted")]
    [InlineData("two replicas on PostgreSQL")]
    public async Task ThirtyTurns_ReplayByteIdentical_SaveTokens_ServeRetrieves_SurviveRestartRotationAndReplicas(string topology)
    {
        var replicas = topology.StartsWith("two", StringComparison.Ordinal);
        var steps = SessionScript.Steps;
        var byHash = steps.GroupBy(s => ContentHash.Compute(s.Output)).ToDictionary(g => g.Key, g => g.First().Output, StringComparer.Ordinal);
        var dir = Path.Combine(Path.GetTempPath(), "headroom-session-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Headroom:Store"] = replicas ? "postgres:" + TestPostgres.FreshSchema() : "sqlite:" + Path.Combine(dir, "x.db"),
            ["Headroom:TenantSalt"] = "session-test-salt-0123456789",
            // The gateway's defaults, cache planners included: realistic requests leave them nothing to change.
            ["Headroom:Caching:Breakpoints"] = "true",
            ["Headroom:Caching:PromptCacheKey"] = "true",
            ["Headroom:Caching:IncludeUsage"] = "true",
        };
        var ledger = new SessionLedger(output, conversation: "messages", system: "system", clientMovesBreakpoint: true);
        var notes = new List<string>();
        var total = global::System.Diagnostics.Stopwatch.StartNew();
        var roundTrips = new global::System.Diagnostics.Stopwatch();
        await using var upstream = await ScriptedUpstream.StartAsync();
        var gateways = new List<TestGateway> { await TestGateway.StartAsync(upstream, settings) };
        if (replicas)
        {
            gateways.Add(await TestGateway.StartAsync(upstream, settings));
        }

        try
        {
            var history = new List<JsonObject>
            {
                new()
                {
                    ["role"] = "user",
                    ["content"] = new JsonArray
                    {
                        Text("<system-reminder>\nAs you answer the user's questions, you can use the following context:\n# currentDate\nToday's date is 2026-11-22.\n</system-reminder>"),
                        Text("The nightly pipeline failed. Go through the logs, API state and recent diffs, find the cause and fix the instrumentation."),
                    },
                },
            };
            string? pendingCall = null;
            for (var turn = 0; turn <= SessionScript.Turns; turn++)
            {
                if (turn > 0)
                {
                    history.Add(new JsonObject
                    {
                        ["role"] = "user",
                        ["content"] = new JsonArray { new JsonObject { ["tool_use_id"] = pendingCall, ["type"] = "tool_result", ["content"] = steps[turn - 1].Output } },
                    });
                }

                // What the model does next: call the next tool (or finish).
                var step = turn < SessionScript.Turns ? steps[turn] : null;
                var callId = $"toolu_01{turn + 1:D2}SessionCall";
                JsonObject[] planned = step is null
                    ? [Text("The cause was a missing timeout attribute; fixed and committed.")]
                    : [Text($"Next I'll run {step.Tool}."), ToolUse(callId, step.Tool, step.Command)];
                var stream = turn != JsonRetrieveTurn;
                var retrieve = turn is StreamingRetrieveTurn or JsonRetrieveTurn;
                string? hash = null;
                if (retrieve)
                {
                    // The model asks for a marker the gateway forwarded on the previous turn.
                    var markers = SessionLedger.Markers(upstream.Requests.Last().Body);
                    Assert.NotEmpty(markers);
                    hash = (turn == StreamingRetrieveTurn ? markers[^1] : markers[0]).Hash;
                    JsonObject[] ask = [Text("Some lines were left out; let me read them."), ToolUse($"toolu_01hr{turn}", "headroom_retrieve", hash, key: "hash")];
                    upstream.Next("/v1/messages", stream ? Sse(turn, "tool_use", ask) : Json(turn, "tool_use", ask));
                }

                upstream.Next("/v1/messages", stream ? Sse(turn, step is null ? "end_turn" : "tool_use", planned) : Json(turn, step is null ? "end_turn" : "tool_use", planned));

                var body = Body(history, stream);
                var before = upstream.Requests.Count;
                roundTrips.Start();
                var gateway = gateways[turn % gateways.Count];
                var credential = turn < CredentialRotatesAtTurn ? "sk-ant-oat01-first-token" : "sk-ant-oat01-rotated-token";
                var (content, raw) = await SendAsync(gateway, body, stream, credential);
                roundTrips.Stop();
                var recorded = upstream.Requests.Skip(before).ToList();

                // The client sees the model's own calls only, never ours.
                Assert.DoesNotContain("headroom_retrieve", raw, StringComparison.Ordinal);
                JsonObject[] expected = retrieve && stream ? [Text("Some lines were left out; let me read them."), .. planned] : planned;
                Assert.Equal(new JsonArray(expected.Select(e => e.DeepClone()).ToArray()).ToJsonString(), content.ToJsonString());
                Assert.Equal(retrieve ? 2 : 1, recorded.Count);
                if (retrieve)
                {
                    var answer = JsonNode.Parse(recorded[1].Body)!["messages"]!.AsArray()[^1]!["content"]![0]!;
                    Assert.Equal($"toolu_01hr{turn}", answer["tool_use_id"]!.GetValue<string>());
                    Assert.Null(answer["is_error"]);
                    Assert.Equal(byHash[hash!], answer["content"]!.GetValue<string>());
                    notes.Add($"turn {turn}: headroom_retrieve hash={hash} served {(stream ? "in the stream" : "as JSON")} ({byHash[hash!].Length:N0} chars), client saw {content.Count} block(s), no retrieve call");
                }

                ledger.Turn(turn, step is null ? "(final answer)" : turn == 0 ? "(prompt)" : steps[turn - 1].Source, body, recorded[0], recorded.Skip(1).ToList());
                history.Add(new JsonObject { ["role"] = "assistant", ["content"] = content });
                pendingCall = callId;

                if (turn == RestartAfterTurn && !replicas)
                {
                    await gateways[0].DisposeAsync();
                    gateways[0] = await TestGateway.StartAsync(upstream, settings);
                    notes.Add($"gateway restarted after turn {turn} on the same SQLite store: turn {turn + 1} replayed the pre-restart bytes (prefix check above)");
                }
            }

            notes.Add($"credential rotated at turn {CredentialRotatesAtTurn}; {(replicas ? "two replicas on one PostgreSQL served the turns alternately" : "one gateway")}");
        }
        finally
        {
            foreach (var gateway in gateways)
            {
                await gateway.DisposeAsync();
            }

            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        notes.Add($"time: {total.Elapsed.TotalSeconds:F1} s, of which {roundTrips.Elapsed.TotalSeconds:F1} s in client → gateway → upstream round trips");
        ledger.Print($"Anthropic Messages session (Claude Code shape, streaming; {topology})", notes);
        Assert.Equal(SessionScript.Turns + 1, ledger.Turns);
        Assert.Equal(SessionScript.Turns + 2, ledger.PrefixChecks); // 30 turn-to-turn + 2 continuations
        Assert.Equal(SessionScript.Turns + 1, ledger.RequestsWithMarkers); // turns 2..30 and both continuations carry markers, each with the tool
        Assert.Equal(0, ledger.RetrieveToolFromTurn); // declared from the session's first request
        Assert.True(ledger.SavedPercent >= 60, $"saved {ledger.SavedPercent:F1}% (client {ledger.ClientTokens:N0}, forwarded {ledger.ForwardedTokens:N0})");
    }

    private static JsonObject Text(string text) => new() { ["type"] = "text", ["text"] = text };

    private static JsonObject ToolUse(string id, string name, string argument, string? key = null) => new()
    {
        ["type"] = "tool_use", ["id"] = id, ["name"] = name,
        ["input"] = new JsonObject { [key ?? InputKey(name)] = argument },
    };

    private static string InputKey(string tool) => tool switch
    {
        "Bash" => "command",
        "Read" => "file_path",
        "Grep" => "pattern",
        "WebFetch" => "url",
        _ => "query",
    };

    private static JsonObject Tool(string name, string description, params string[] properties) => new()
    {
        ["name"] = name,
        ["description"] = description,
        ["input_schema"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject(properties.Select(p => KeyValuePair.Create(p, (JsonNode?)new JsonObject { ["type"] = "string", ["description"] = "The " + p.Replace('_', ' ') + "." }))),
            ["required"] = new JsonArray(properties[0]),
            ["additionalProperties"] = false,
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
        },
    };

    private static readonly JsonArray Tools =
    [
        Tool("Bash", "Executes a given bash command in a persistent shell session with optional timeout, ensuring proper handling and security measures.", "command", "description"),
        Tool("Glob", "Fast file pattern matching tool that works with any codebase size.", "pattern", "path"),
        Tool("Grep", "A powerful search tool built on ripgrep. Supports full regex syntax.", "pattern", "path", "glob"),
        Tool("Read", "Reads a file from the local filesystem. You can access any file directly by using this tool.", "file_path", "offset", "limit"),
        Tool("Edit", "Performs exact string replacements in files. You must use your Read tool at least once before editing.", "file_path", "old_string", "new_string"),
        Tool("WebFetch", "Fetches content from a specified URL and processes it using an AI model.", "url", "prompt"),
        Tool("TodoWrite", "Use this tool to create and manage a structured task list for your current coding session.", "todos"),
        Tool("mcp__github__get_package", "Get a package's metadata from a registry (MCP server github).", "query"),
        Tool("mcp__github__list_refs", "List git references of a repository (MCP server github).", "query"),
    ];

    private static readonly JsonArray System =
    [
        Text("You are Claude Code, Anthropic's official CLI for Claude."),
        new JsonObject
        {
            ["type"] = "text",
            ["text"] = "You are an interactive CLI tool that helps users with software engineering tasks. Use the instructions below and the tools available to you to assist the user.\n\n# Tone and style\nBe concise, direct, and to the point.\n\n# Doing tasks\nUse the available search tools to understand the codebase and the user's query. Verify the solution with tests.",
            ["cache_control"] = Ephemeral.DeepClone(),
        },
        new JsonObject
        {
            ["type"] = "text",
            ["text"] = "Here is useful information about the environment you are running in:\n<env>\nWorking directory: /work/app\nIs directory a git repo: Yes\nPlatform: linux\nOS Version: Linux 6.8.0\n</env>\nYou are powered by the model named Sonnet 4.5.",
            ["cache_control"] = Ephemeral.DeepClone(),
        },
    ];

    /// <summary>The request as Claude Code writes it: messages first, the breakpoint on the last message's last block.</summary>
    private static byte[] Body(List<JsonObject> history, bool stream)
    {
        var last = history[^1].DeepClone().AsObject();
        last["content"]!.AsArray()[^1]!.AsObject()["cache_control"] = Ephemeral.DeepClone();
        var body = new JsonObject
        {
            ["model"] = Model,
            ["messages"] = new JsonArray(),
            ["system"] = System.DeepClone(),
            ["tools"] = Tools.DeepClone(),
            ["metadata"] = new JsonObject { ["user_id"] = "{\"device_id\":\"9d1c0a\",\"account_uuid\":\"\",\"session_id\":\"" + SessionId + "\"}" },
            ["max_tokens"] = 64000,
            ["thinking"] = new JsonObject { ["type"] = "adaptive" },
            ["stream"] = stream,
        };
        return SessionScript.Compose(body, "messages", history.Take(history.Count - 1).Select(Serialized).Append(SessionScript.Serialize(last)));
    }

    private static readonly global::System.Runtime.CompilerServices.ConditionalWeakTable<JsonObject, string> SerializedMessages = [];

    /// <summary>A history message's bytes, serialised once (the client resends the same bytes every turn).</summary>
    private static string Serialized(JsonObject message) => SerializedMessages.GetValue(message, m => SessionScript.Serialize(m));

    private static async Task<(JsonArray Content, string Raw)> SendAsync(TestGateway gateway, byte[] body, bool stream, string credential)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages?beta=true") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + credential);
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14");
        request.Headers.Add("X-Claude-Code-Session-Id", SessionId);
        request.Headers.Add("x-app", "cli");
        request.Headers.TryAddWithoutValidation("User-Agent", "claude-cli/2.1.197 (external, cli)");
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, raw);
        if (!stream)
        {
            return (JsonNode.Parse(raw)!["content"]!.AsArray().DeepClone().AsArray(), raw);
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return (ReadStream(raw), raw);
    }

    /// <summary>Rebuilds the assistant content from the stream, as the client's SDK accumulates it.</summary>
    private static JsonArray ReadStream(string sse)
    {
        var blocks = new List<JsonObject>();
        var json = new Dictionary<int, StringBuilder>();
        var stopped = false;
        foreach (var frame in sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var data = frame.Split('\n').FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal))?["data: ".Length..];
            if (data is null || JsonNode.Parse(data) is not JsonObject ev)
            {
                continue;
            }

            var type = ev["type"]!.GetValue<string>();
            var index = ev["index"]?.GetValue<int>() ?? -1;
            switch (type)
            {
                case "content_block_start":
                    Assert.Equal(blocks.Count, index); // indices stay consecutive across the spliced continuation
                    var block = ev["content_block"]!.DeepClone().AsObject();
                    if (block["type"]!.GetValue<string>() == "tool_use")
                    {
                        json[index] = new StringBuilder();
                    }

                    blocks.Add(block);
                    break;
                case "content_block_delta" when ev["delta"]!["type"]!.GetValue<string>() == "text_delta":
                    blocks[index]["text"] = blocks[index]["text"]!.GetValue<string>() + ev["delta"]!["text"]!.GetValue<string>();
                    break;
                case "content_block_delta" when ev["delta"]!["type"]!.GetValue<string>() == "input_json_delta":
                    json[index].Append(ev["delta"]!["partial_json"]!.GetValue<string>());
                    break;
                case "content_block_stop" when json.TryGetValue(index, out var partial):
                    blocks[index]["input"] = JsonNode.Parse(partial.ToString());
                    break;
                case "message_stop":
                    stopped = true;
                    break;
            }
        }

        Assert.True(stopped, "the stream ended without message_stop");
        return new JsonArray(blocks.ToArray<JsonNode?>());
    }

    private static UpstreamReply Sse(int turn, string stopReason, JsonObject[] blocks)
    {
        var sse = new StringBuilder();
        void Event(string name, JsonObject data) => sse.Append("event: ").Append(name).Append("\ndata: ").Append(data.ToJsonString()).Append("\n\n");
        Event("message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = $"msg_01Session{turn:D2}", ["type"] = "message", ["role"] = "assistant", ["model"] = Model, ["content"] = new JsonArray(),
                ["stop_reason"] = null, ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = 12, ["cache_creation_input_tokens"] = 2000, ["cache_read_input_tokens"] = 20000 + turn, ["output_tokens"] = 1 },
            },
        });
        for (var i = 0; i < blocks.Length; i++)
        {
            var block = blocks[i];
            var isTool = block["type"]!.GetValue<string>() == "tool_use";
            Event("content_block_start", new JsonObject
            {
                ["type"] = "content_block_start", ["index"] = i,
                ["content_block"] = isTool
                    ? new JsonObject { ["type"] = "tool_use", ["id"] = block["id"]!.DeepClone(), ["name"] = block["name"]!.DeepClone(), ["input"] = new JsonObject() }
                    : new JsonObject { ["type"] = "text", ["text"] = "" },
            });
            Event("content_block_delta", new JsonObject
            {
                ["type"] = "content_block_delta", ["index"] = i,
                ["delta"] = isTool
                    ? new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = block["input"]!.ToJsonString() }
                    : new JsonObject { ["type"] = "text_delta", ["text"] = block["text"]!.DeepClone() },
            });
            Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = i });
        }

        Event("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stopReason, ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = 40 },
        });
        Event("message_stop", new JsonObject { ["type"] = "message_stop" });
        return UpstreamReply.Sse(sse.ToString());
    }

    private static UpstreamReply Json(int turn, string stopReason, JsonObject[] blocks) => UpstreamReply.Json(new JsonObject
    {
        ["id"] = $"msg_01Session{turn:D2}", ["type"] = "message", ["role"] = "assistant", ["model"] = Model,
        ["content"] = new JsonArray(blocks.Select(b => b.DeepClone()).ToArray()),
        ["stop_reason"] = stopReason, ["stop_sequence"] = null,
        ["usage"] = new JsonObject { ["input_tokens"] = 12, ["cache_creation_input_tokens"] = 2000, ["cache_read_input_tokens"] = 20000 + turn, ["output_tokens"] = 40 },
    }.ToJsonString());
}
