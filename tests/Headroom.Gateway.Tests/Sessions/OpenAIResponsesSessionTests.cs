using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Headroom.Compressors.Markers;
using Headroom.Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Headroom.Gateway.Tests.Sessions;

/// <summary>
/// The same 30-turn session in Codex's shape (OpenAI Responses): <c>instructions</c>, a
/// developer and two user messages, 4 tools (<c>exec_command</c>, custom <c>apply_patch</c>, ...),
/// reasoning items with encrypted content, <c>function_call</c> / <c>function_call_output</c> items,
/// <c>store: false</c>, streaming, and Codex's own <c>prompt_cache_key</c> (so the gateway's key planner
/// leaves the request alone). Tool outputs as is, or framed with Codex's exec header. Two JSON retrieves (turns 12 and
/// 21; the gateway continues retrieve calls in JSON responses only for OpenAI) and a restart after turn 15.
/// </summary>
public sealed class OpenAIResponsesSessionTests(ITestOutputHelper output)
{
    private const string Model = "gpt-5-codex";
    private const string SessionId = "0199a6f2-5b7c-7d10-9e3a-4c2b1f0e8d7a";
    private const int FirstRetrieveTurn = 12;
    private const int SecondRetrieveTurn = 21;
    private const int RestartAfterTurn = 15;

    /// <param name="execHeader">
    /// False: each output is the command's text as is (an SDK app's tool results). True: framed the way
    /// Codex frames exec output ("Exit code: 0\nWall time: … seconds\nOutput:\n" + text). The pipeline
    /// keeps such a header as it is and detects the content after it (Pipeline/ToolOutputHeader.cs), so
    /// both shapes must save at least 60%.
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ThirtyTurns_ReplayByteIdentical_SaveTokens_ServeRetrieves_SurviveRestart(bool execHeader)
    {
        var steps = SessionScript.Steps;
        var outputs = steps.Select((s, i) => execHeader ? $"Exit code: 0\nWall time: {0.1 + (i % 7) * 0.3:F1} seconds\nOutput:\n{s.Output}" : s.Output).ToList();
        var byHash = outputs.GroupBy(o => ContentHash.Compute(o)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var dir = Path.Combine(Path.GetTempPath(), "headroom-session-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Headroom:Store"] = "sqlite:" + Path.Combine(dir, "x.db"),
            ["Headroom:TenantSalt"] = "session-test-salt-0123456789",
            // The gateway's defaults, cache planners included: realistic requests leave them nothing to change.
            ["Headroom:Caching:Breakpoints"] = "true",
            ["Headroom:Caching:PromptCacheKey"] = "true",
            ["Headroom:Caching:IncludeUsage"] = "true",
        };
        var ledger = new SessionLedger(output, conversation: "input", system: "instructions", clientMovesBreakpoint: false);
        var notes = new List<string>();
        var total = System.Diagnostics.Stopwatch.StartNew();
        var roundTrips = new System.Diagnostics.Stopwatch();
        await using var upstream = await ScriptedUpstream.StartAsync();
        var gateway = await TestGateway.StartAsync(upstream, settings);
        try
        {
            var history = new List<JsonObject>
            {
                Message("developer", "<permissions instructions>\nFilesystem sandboxing: workspace-write. Network access is restricted. Approval policy: on-request.\n</permissions instructions>"),
                Message("user", "<environment_context>\n  <cwd>/work/app</cwd>\n  <approval_policy>on-request</approval_policy>\n  <sandbox_mode>workspace-write</sandbox_mode>\n  <network_access>restricted</network_access>\n  <shell>bash</shell>\n</environment_context>"),
                Message("user", "The nightly pipeline failed. Go through the logs, API state and recent diffs, find the cause and fix the instrumentation."),
            };
            string? pendingCall = null;
            for (var turn = 0; turn <= SessionScript.Turns; turn++)
            {
                if (turn > 0)
                {
                    history.Add(new JsonObject { ["type"] = "function_call_output", ["call_id"] = pendingCall, ["output"] = outputs[turn - 1] });
                }

                var step = turn < SessionScript.Turns ? steps[turn] : null;
                var callId = $"call_{turn + 1:D2}Xk3SessionCodex";
                JsonObject[] planned = step is null
                    ? [Reasoning(turn), AssistantText("The cause was a missing timeout attribute; fixed and committed.")]
                    : [Reasoning(turn), Call(callId, "exec_command", new JsonObject { ["cmd"] = Command(step) }.ToJsonString())];
                var retrieve = turn is FirstRetrieveTurn or SecondRetrieveTurn;
                var stream = !retrieve;
                string? hash = null;
                if (retrieve)
                {
                    var markers = SessionLedger.Markers(upstream.Requests.Last().Body);
                    Assert.NotEmpty(markers);
                    hash = (turn == FirstRetrieveTurn ? markers[^1] : markers[0]).Hash;
                    upstream.Next("/v1/responses", Json(turn, [Reasoning(100 + turn), Call($"call_hr{turn}", "headroom_retrieve", new JsonObject { ["hash"] = hash }.ToJsonString())]));
                }

                upstream.Next("/v1/responses", stream ? Sse(turn, planned) : Json(turn, planned));

                var body = Body(history, stream);
                var before = upstream.Requests.Count;
                roundTrips.Start();
                var (items, raw) = await SendAsync(gateway, body, stream);
                roundTrips.Stop();
                var recorded = upstream.Requests.Skip(before).ToList();

                Assert.DoesNotContain("headroom_retrieve", raw, StringComparison.Ordinal);
                Assert.Equal(new JsonArray(planned.Select(p => ClientItem(p)).ToArray()).ToJsonString(), new JsonArray(items.Select(i => i.DeepClone()).ToArray()).ToJsonString());
                Assert.Equal(retrieve ? 2 : 1, recorded.Count);
                if (retrieve)
                {
                    var answer = JsonNode.Parse(recorded[1].Body)!["input"]!.AsArray()[^1]!;
                    Assert.Equal("function_call_output", answer["type"]!.GetValue<string>());
                    Assert.Equal($"call_hr{turn}", answer["call_id"]!.GetValue<string>());
                    Assert.Equal(byHash[hash!], answer["output"]!.GetValue<string>());
                    notes.Add($"turn {turn}: headroom_retrieve hash={hash} served as JSON ({byHash[hash!].Length:N0} chars), client saw {items.Count} item(s), no retrieve call");
                }

                ledger.Turn(turn, step is null ? "(final answer)" : turn == 0 ? "(prompt)" : steps[turn - 1].Source, body, recorded[0], recorded.Skip(1).ToList());
                history.AddRange(items);
                pendingCall = callId;

                if (turn == RestartAfterTurn)
                {
                    await gateway.DisposeAsync();
                    gateway = await TestGateway.StartAsync(upstream, settings);
                    notes.Add($"gateway restarted after turn {turn} on the same SQLite store: turn {turn + 1} replayed the pre-restart bytes (prefix check above)");
                }
            }
        }
        finally
        {
            await gateway.DisposeAsync();
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        notes.Add($"time: {total.Elapsed.TotalSeconds:F1} s, of which {roundTrips.Elapsed.TotalSeconds:F1} s in client → gateway → upstream round trips");
        ledger.Print($"OpenAI Responses session (Codex shape, streaming; retrieve turns in JSON; outputs {(execHeader ? "framed with Codex's exec header" : "as is")})", notes);
        Assert.Equal(SessionScript.Turns + 1, ledger.Turns);
        Assert.Equal(SessionScript.Turns + 2, ledger.PrefixChecks);
        Assert.Equal(SessionScript.Turns + 1, ledger.RequestsWithMarkers); // turns 2..30 and both continuations carry markers, each with the tool
        Assert.Equal(0, ledger.RetrieveToolFromTurn); // declared from the session's first request
        Assert.True(ledger.SavedPercent >= 60, $"saved {ledger.SavedPercent:F1}% (client {ledger.ClientTokens:N0}, forwarded {ledger.ForwardedTokens:N0})");
    }

    private static string Command(ToolStep step) => step.Tool switch
    {
        "Read" => $"sed -n '1,250p' {step.Command}",
        "Grep" => $"rg -n '{step.Command}' docs",
        "WebFetch" => $"curl -s {step.Command}",
        "Bash" => step.Command,
        _ => $"gh api {step.Command}",
    };

    private static JsonObject Message(string role, string text) => new()
    {
        ["type"] = "message", ["role"] = role, ["content"] = new JsonArray { new JsonObject { ["type"] = "input_text", ["text"] = text } },
    };

    private static JsonObject Reasoning(int turn) => new()
    {
        ["type"] = "reasoning", ["id"] = $"rs_{turn:D3}session", ["summary"] = new JsonArray(),
        ["encrypted_content"] = "gAAAAABo" + Convert.ToBase64String(Encoding.UTF8.GetBytes($"opaque reasoning state of turn {turn} ").Concat(Enumerable.Repeat((byte)turn, 96)).ToArray()),
    };

    private static JsonObject Call(string callId, string name, string arguments) => new()
    {
        ["type"] = "function_call", ["id"] = "fc_" + callId, ["status"] = "completed", ["name"] = name, ["arguments"] = arguments, ["call_id"] = callId,
    };

    private static JsonObject AssistantText(string text) => new()
    {
        ["type"] = "message", ["id"] = "msg_final", ["status"] = "completed", ["role"] = "assistant",
        ["content"] = new JsonArray { new JsonObject { ["type"] = "output_text", ["text"] = text, ["annotations"] = new JsonArray() } },
    };

    /// <summary>What Codex keeps of an output item for its history (store: false): the item without id and status.</summary>
    private static JsonObject ClientItem(JsonObject item)
    {
        var copy = item.DeepClone().AsObject();
        copy.Remove("id");
        copy.Remove("status");
        return copy;
    }

    private static JsonObject FunctionTool(string name, string description, params string[] properties) => new()
    {
        ["type"] = "function",
        ["name"] = name,
        ["description"] = description,
        ["strict"] = false,
        ["parameters"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject(properties.Select(p => KeyValuePair.Create(p, (JsonNode?)new JsonObject { ["type"] = "string", ["description"] = "The " + p.Replace('_', ' ') + "." }))),
            ["required"] = new JsonArray(properties[0]),
            ["additionalProperties"] = false,
        },
    };

    private static readonly JsonArray Tools =
    [
        FunctionTool("exec_command", "Runs a command in a PTY, returning output or a session ID for ongoing interaction.", "cmd", "workdir", "yield_time_ms"),
        new JsonObject
        {
            ["type"] = "custom", ["name"] = "apply_patch",
            ["description"] = "Use the `apply_patch` tool to edit files. This is a FREEFORM tool, so do not wrap the patch in JSON.",
            ["format"] = new JsonObject { ["type"] = "grammar", ["syntax"] = "lark", ["definition"] = "start: begin_patch hunk+ end_patch\nbegin_patch: \"*** Begin Patch\" LF\nend_patch: \"*** End Patch\" LF?" },
        },
        FunctionTool("update_plan", "Updates the task plan.", "plan", "explanation"),
        FunctionTool("view_image", "Attach a local image (by filesystem path) to the conversation context for this turn.", "path"),
    ];

    private static byte[] Body(List<JsonObject> history, bool stream)
    {
        var body = new JsonObject
        {
            ["model"] = Model,
            ["instructions"] = "You are Codex, based on GPT-5. You are running as a coding agent in the Codex CLI on a user's computer.\n\n## General\n- The arguments to `exec_command` are run with the user's shell.\n- Prefer `rg` over `grep` for searching.\n\n## Editing constraints\n- Default to ASCII when editing or creating files.",
            ["input"] = new JsonArray(),
            ["tools"] = Tools.DeepClone(),
            ["tool_choice"] = "auto",
            ["parallel_tool_calls"] = false,
            ["reasoning"] = new JsonObject { ["effort"] = "medium", ["summary"] = "auto" },
            ["store"] = false,
            ["stream"] = stream,
            ["include"] = new JsonArray("reasoning.encrypted_content"),
            ["prompt_cache_key"] = SessionId,
            ["text"] = new JsonObject { ["verbosity"] = "medium" },
        };
        return SessionScript.Compose(body, "input", history.Select(Serialized));
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<JsonObject, string> SerializedItems = [];

    /// <summary>A history item's bytes, serialised once (the client resends the same bytes every turn).</summary>
    private static string Serialized(JsonObject item) => SerializedItems.GetValue(item, i => SessionScript.Serialize(i));

    private static async Task<(List<JsonObject> Items, string Raw)> SendAsync(TestGateway gateway, byte[] body, bool stream)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/responses") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("Authorization", "Bearer sk-proj-session-test");
        request.Headers.Add("originator", "codex_cli_rs");
        request.Headers.Add("version", "0.169.0");
        request.Headers.Add("session-id", SessionId);
        request.Headers.Add("Accept", stream ? "text/event-stream" : "application/json");
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, raw);
        JsonArray output;
        if (stream)
        {
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            var completed = raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
                .Select(f => f.Split('\n').FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal))?["data: ".Length..])
                .Where(d => d is not null)
                .Select(d => JsonNode.Parse(d!)!)
                .Single(e => e["type"]!.GetValue<string>() == "response.completed");
            output = completed["response"]!["output"]!.AsArray();
        }
        else
        {
            output = JsonNode.Parse(raw)!["output"]!.AsArray();
        }

        return (output.Select(i => ClientItem(i!.AsObject())).ToList(), raw);
    }

    private static JsonObject Response(int turn, JsonObject[] output, string status) => new()
    {
        ["id"] = $"resp_{turn:D2}session", ["object"] = "response", ["created_at"] = 1763770000 + turn, ["status"] = status, ["model"] = Model + "-2025-09-15",
        ["output"] = new JsonArray(output.Select(o => o.DeepClone()).ToArray()),
        ["usage"] = status == "completed"
            ? new JsonObject
            {
                ["input_tokens"] = 20000 + turn, ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = 18000 },
                ["output_tokens"] = 60, ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 20 }, ["total_tokens"] = 20060 + turn,
            }
            : null,
    };

    private static UpstreamReply Json(int turn, JsonObject[] output) => UpstreamReply.Json(Response(turn, output, "completed").ToJsonString());

    private static UpstreamReply Sse(int turn, JsonObject[] output)
    {
        var sse = new StringBuilder();
        var sequence = 0;
        void Event(string type, JsonObject data)
        {
            data["type"] = type;
            data["sequence_number"] = sequence++;
            sse.Append("event: ").Append(type).Append("\ndata: ").Append(data.ToJsonString()).Append("\n\n");
        }

        Event("response.created", new JsonObject { ["response"] = Response(turn, [], "in_progress") });
        for (var i = 0; i < output.Length; i++)
        {
            Event("response.output_item.added", new JsonObject { ["output_index"] = i, ["item"] = output[i].DeepClone() });
            Event("response.output_item.done", new JsonObject { ["output_index"] = i, ["item"] = output[i].DeepClone() });
        }

        Event("response.completed", new JsonObject { ["response"] = Response(turn, output, "completed") });
        return UpstreamReply.Sse(sse.ToString());
    }
}
