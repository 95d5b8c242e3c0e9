using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers;
using Headroom.Gateway.Retrieval;
using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Providers.OpenAI;

/// <summary>
/// One round of an OpenAI stream (Chat or Responses) relayed to the client while
/// <c>headroom_retrieve</c> calls are held back: everything else goes out as it comes, with
/// indices and sequence numbers kept consistent across continuation rounds.
/// </summary>
internal sealed partial class OpenAIStreamRelay
{
    private readonly ApiKind _api;
    private readonly List<(int Index, bool Ours)> _calls = [];
    private readonly NumberEdit[] _edits = new NumberEdit[2];
    private int _clientOutputItems;
    private int _nextSequence;

    public OpenAIStreamRelay(ApiKind api) => _api = api;

    /// <summary>What one round produced, for the decision to continue.</summary>
    public sealed class Round
    {
        public List<(string CallId, StringBuilder Arguments)> Ours { get; } = [];
        public bool ClientCalls { get; set; }
        /// <summary>The turn's text as the upstream escaped it (JSON string content without quotes).</summary>
        public ArrayBufferWriter<byte> Text { get; } = new();
        public List<JsonObject> HeldTail { get; } = [];
        public List<JsonNode> OutputItems { get; } = [];
        public UsageAccumulator Usage { get; } = new();
        public bool Done { get; set; }
    }

    /// <summary>Relays one upstream stream; returns what was held back.</summary>
    public async Task<Round> RelayAsync(SseEventReader reader, RelayWriter client, int round, CancellationToken cancellationToken)
    {
        var r = new Round();
        var heldOutputIndexes = new HashSet<int>();
        var ourCalls = new Dictionary<int, int>();
        var clientCalls = new Dictionary<int, int>();
        while (true)
        {
            if (!reader.TryNext(out var ev))
            {
                // Everything received so far is out before the relay waits for more.
                await client.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadMoreAsync(cancellationToken).ConfigureAwait(false))
                {
                    return r;
                }

                continue;
            }

            if (ev.Data.Span.SequenceEqual("[DONE]"u8))
            {
                r.Done = true;
                continue;
            }

            try
            {
                var relayed = _api == ApiKind.OpenAIChat
                    ? TryRelayChat(ev, r, ourCalls, clientCalls, client)
                    : TryRelayResponses(ev, r, round, heldOutputIndexes, client);
                if (!relayed)
                {
                    Slow(ev, r, round, heldOutputIndexes, ourCalls, clientCalls, client);
                }
            }
            catch
            {
                // The events before the unreadable one still reach the client, then the loop's error event.
                await client.FlushAsync(cancellationToken).ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>Our call, the turn's closing events, anything irregular: read as a document, as always.</summary>
    private void Slow(in SseEvent ev, Round r, int round, HashSet<int> held, Dictionary<int, int> ourCalls, Dictionary<int, int> clientCalls, RelayWriter client)
    {
        JsonObject? data;
        try
        {
            data = JsonNode.Parse(ev.Data.Span) as JsonObject;
        }
        catch (JsonException)
        {
            data = null;
        }

        if (data is null)
        {
            client.Add(ev.Raw.Span);
            return;
        }

        var modified = false;
        var forward = _api == ApiKind.OpenAIChat ? Chat(data, r, ourCalls, clientCalls, ref modified) : Responses(data, r, round, held, ref modified);
        if (forward is not null)
        {
            // Unchanged events go out as the upstream wrote them.
            client.Add(modified ? Frame(ev.NameString, forward) : ev.Raw.Span);
        }
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
            var buffer = new ArrayBufferWriter<byte>(r.Text.WrittenCount + 256);
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("role"u8, "assistant"u8);
                w.WritePropertyName("content"u8);
                if (r.Text.WrittenCount == 0)
                {
                    w.WriteNullValue();
                }
                else
                {
                    var quoted = new byte[r.Text.WrittenCount + 2];
                    quoted[0] = quoted[^1] = (byte)'"';
                    r.Text.WrittenSpan.CopyTo(quoted.AsSpan(1));
                    w.WriteRawValue(quoted, skipInputValidation: true);
                }

                w.WriteStartArray("tool_calls"u8);
                foreach (var (callId, arguments) in r.Ours)
                {
                    w.WriteStartObject();
                    w.WriteString("id"u8, callId);
                    w.WriteString("type"u8, "function"u8);
                    w.WriteStartObject("function"u8);
                    w.WriteString("name"u8, RetrieveTool.Name);
                    w.WriteString("arguments"u8, arguments.ToString());
                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            var bytes = buffer.WrittenSpan.ToArray();
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

    /// <summary>Called before a continuation: its output items come after those the client has.</summary>
    public void ContinueAfter(Round r) => _clientOutputItems += r.OutputItems.Count(i => !IsOurs(i));

    private static bool IsOurs(JsonNode? item) =>
        item?["type"]?.GetValue<string>() == "function_call" && item["name"]?.GetValue<string>() == RetrieveTool.Name;

    private static byte[] Frame(string? name, JsonNode data) =>
        Encoding.UTF8.GetBytes(name is null ? $"data: {data.ToJsonString()}\n\n" : $"event: {name}\ndata: {data.ToJsonString()}\n\n");
}
