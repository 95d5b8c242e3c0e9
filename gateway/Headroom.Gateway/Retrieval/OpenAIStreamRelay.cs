using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers;
using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Retrieval;

/// <summary>
/// One round of an OpenAI stream (Chat or Responses) relayed to the client while
/// <c>headroom_retrieve</c> calls are held back: everything else goes out as it comes, with
/// indices and sequence numbers kept consistent across continuation rounds.
/// </summary>
internal sealed class OpenAIStreamRelay
{
    private readonly ApiKind _api;
    private int _clientOutputItems;
    private int _nextSequence;

    public OpenAIStreamRelay(ApiKind api) => _api = api;

    /// <summary>What one round produced, for the decision to continue.</summary>
    public sealed class Round
    {
        public List<(string CallId, StringBuilder Arguments)> Ours { get; } = [];
        public bool ClientCalls { get; set; }
        public StringBuilder Text { get; } = new();
        public List<JsonObject> HeldTail { get; } = [];
        public List<JsonNode> OutputItems { get; } = [];
        public UsageAccumulator Usage { get; } = new();
        public bool Done { get; set; }
    }

    /// <summary>Relays one upstream stream; returns what was held back.</summary>
    public async Task<Round> RelayAsync(SseEventReader reader, Stream client, int round, CancellationToken cancellationToken)
    {
        var r = new Round();
        var heldOutputIndexes = new HashSet<int>();
        var ourCalls = new Dictionary<int, int>();
        var clientCalls = new Dictionary<int, int>();
        while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } ev)
        {
            if (ev.Data.AsSpan().SequenceEqual("[DONE]"u8))
            {
                r.Done = true;
                continue;
            }

            JsonObject? data;
            try
            {
                data = JsonNode.Parse(ev.Data) as JsonObject;
            }
            catch (JsonException)
            {
                data = null;
            }

            if (data is null)
            {
                await client.WriteAsync(ev.Raw, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (data["usage"] is JsonObject || data["response"]?["usage"] is JsonObject)
            {
                r.Usage.Observe(ev.Data);
            }

            var modified = false;
            var forward = _api == ApiKind.OpenAIChat ? Chat(data, r, ourCalls, clientCalls, ref modified) : Responses(data, r, round, heldOutputIndexes, ref modified);
            if (forward is not null)
            {
                // Unchanged events go out as the upstream wrote them.
                await client.WriteAsync(modified ? Frame(ev.Name, forward) : ev.Raw, cancellationToken).ConfigureAwait(false);
            }
        }

        return r;
    }

    /// <summary>The turn's closing events, our calls removed and usage summed over the rounds.</summary>
    public async Task FinishAsync(Round r, Stream client, TokenUsage? summed, bool endTurn, CancellationToken cancellationToken)
    {
        foreach (var held in r.HeldTail)
        {
            if (_api == ApiKind.OpenAIChat)
            {
                if (endTurn && held["choices"] is JsonArray { Count: > 0 } choices && choices[0]?["finish_reason"] is JsonValue)
                {
                    choices[0]!["finish_reason"] = "stop";
                }

                if (summed is not null && held["usage"] is JsonObject)
                {
                    held["usage"] = JsonNode.Parse(TurnEditor.UsageJson(ApiKind.OpenAIChat, summed));
                }

                await client.WriteAsync(Frame(null, held), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (held["response"] is JsonObject response)
                {
                    if (response["output"] is JsonArray output)
                    {
                        foreach (var item in output.Where(IsOurs).ToList())
                        {
                            output.Remove(item);
                        }
                    }

                    if (summed is not null)
                    {
                        response["usage"] = JsonNode.Parse(TurnEditor.UsageJson(ApiKind.OpenAIResponses, summed));
                    }
                }

                Renumber(held);
                await client.WriteAsync(Frame(held["type"]?.GetValue<string>(), held), cancellationToken).ConfigureAwait(false);
            }
        }

        if (_api == ApiKind.OpenAIChat && r.Done)
        {
            await client.WriteAsync("data: [DONE]\n\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The model's turn as JSON for the continuation request, with item ranges.</summary>
    public (byte[] Json, ModelTurn Turn) TurnFor(Round r)
    {
        if (_api == ApiKind.OpenAIChat)
        {
            var message = new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = r.Text.Length == 0 ? null : r.Text.ToString(),
                ["tool_calls"] = new JsonArray(r.Ours.Select(o => (JsonNode)new JsonObject
                {
                    ["id"] = o.CallId, ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = RetrieveTool.Name, ["arguments"] = o.Arguments.ToString() },
                }).ToArray()),
            };
            var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
            return (bytes, new ModelTurn { Turn = (0, bytes.Length), Items = [] });
        }

        var json = new StringBuilder("[");
        var items = new List<TurnItem>();
        foreach (var item in r.OutputItems)
        {
            if (json.Length > 1)
            {
                json.Append(',');
            }

            var start = Encoding.UTF8.GetByteCount(json.ToString());
            json.Append(item.ToJsonString());
            items.Add(new TurnItem(start, Encoding.UTF8.GetByteCount(json.ToString()), false, false, null, null));
        }

        var all = Encoding.UTF8.GetBytes(json.Append(']').ToString());
        return (all, new ModelTurn { Turn = (0, all.Length), Items = items });
    }

    private static JsonObject? Chat(JsonObject data, Round r, Dictionary<int, int> ourCalls, Dictionary<int, int> clientCalls, ref bool modified)
    {
        if (data["choices"] is not JsonArray { Count: > 0 } choices || choices[0] is not JsonObject choice)
        {
            if (data["usage"] is JsonObject)
            {
                r.HeldTail.Add(data); // the usage chunk closes the turn
                return null;
            }

            return data;
        }

        if (choice["delta"] is JsonObject delta)
        {
            if (delta["content"] is JsonValue content && content.TryGetValue<string>(out var text))
            {
                r.Text.Append(text);
            }

            if (delta["tool_calls"] is JsonArray calls)
            {
                foreach (var call in calls.OfType<JsonObject>().ToList())
                {
                    var index = call["index"]?.GetValue<int>() ?? 0;
                    if (call["function"]?["name"]?.GetValue<string>() == RetrieveTool.Name)
                    {
                        r.Ours.Add((call["id"]?.GetValue<string>() ?? "", new StringBuilder()));
                        ourCalls[index] = r.Ours.Count - 1;
                    }

                    if (ourCalls.TryGetValue(index, out var mine))
                    {
                        r.Ours[mine].Arguments.Append(call["function"]?["arguments"]?.GetValue<string>());
                        calls.Remove(call);
                        modified = true;
                        continue;
                    }

                    // The client's own call: indices stay dense for the client's accumulator.
                    r.ClientCalls = true;
                    if (!clientCalls.TryGetValue(index, out var dense))
                    {
                        dense = clientCalls.Count;
                        clientCalls[index] = dense;
                    }

                    if (dense != index)
                    {
                        call["index"] = dense;
                        modified = true;
                    }
                }

                if (calls.Count == 0 && choice["finish_reason"] is null && (delta.Count == 1 || delta["content"] is null))
                {
                    return null; // nothing left but our call
                }
            }
        }

        if (choice["finish_reason"] is JsonValue)
        {
            r.HeldTail.Add(data);
            return null;
        }

        return data;
    }

    private JsonObject? Responses(JsonObject data, Round r, int round, HashSet<int> held, ref bool modified)
    {
        var type = data["type"]?.GetValue<string>() ?? "";
        switch (type)
        {
            case "response.created" or "response.in_progress" when round > 0:
                return null;
            case "response.completed" or "response.incomplete":
                if (data["response"]?["output"] is JsonArray output)
                {
                    r.OutputItems.AddRange(output.Where(i => i is not null).Select(i => i!.DeepClone()));
                }

                r.HeldTail.Add(data);
                return null;
            case "response.output_item.added" when data["item"] is JsonObject item:
                if (IsOurs(item))
                {
                    held.Add(data["output_index"]?.GetValue<int>() ?? -1);
                    r.Ours.Add((item["call_id"]?.GetValue<string>() ?? "", new StringBuilder()));
                    return null;
                }

                if (item["type"]?.GetValue<string>() is "function_call" or "custom_tool_call")
                {
                    r.ClientCalls = true;
                }

                break;
        }

        if (data["output_index"] is JsonValue index)
        {
            var i = index.GetValue<int>();
            if (held.Contains(i))
            {
                if (type == "response.function_call_arguments.done" && r.Ours.Count > 0)
                {
                    r.Ours[^1].Arguments.Clear().Append(data["arguments"]?.GetValue<string>());
                }

                return null;
            }

            if (_clientOutputItems > 0)
            {
                data["output_index"] = i + _clientOutputItems;
                modified = true;
            }
        }

        modified |= Renumber(data);
        return data;
    }

    /// <summary>Keeps sequence numbers gap-free for the client after held-back events; true when it changed one.</summary>
    private bool Renumber(JsonObject data)
    {
        if (data["sequence_number"] is not JsonValue value)
        {
            return false;
        }

        var expected = _nextSequence++;
        if (value.TryGetValue<int>(out var n) && n == expected)
        {
            return false;
        }

        data["sequence_number"] = expected;
        return true;
    }

    /// <summary>Called before a continuation: its output items come after those the client has.</summary>
    public void ContinueAfter(Round r) => _clientOutputItems += r.OutputItems.Count(i => !IsOurs(i));

    private static bool IsOurs(JsonNode? item) =>
        item?["type"]?.GetValue<string>() == "function_call" && item["name"]?.GetValue<string>() == RetrieveTool.Name;

    private static byte[] Frame(string? name, JsonObject data) =>
        Encoding.UTF8.GetBytes(name is null ? $"data: {data.ToJsonString()}\n\n" : $"event: {name}\ndata: {data.ToJsonString()}\n\n");
}
