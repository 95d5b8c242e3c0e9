using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers.OpenAIResponses;
using Headroom.Gateway.Retrieval;

namespace Headroom.Gateway.Providers.OpenAI;

/// <summary>Responses events: output items by <c>output_index</c>, and <c>sequence_number</c> kept gap-free.</summary>
internal sealed partial class OpenAIStreamRelay
{
    /// <summary>
    /// A Responses event outside our call and the turn's end goes out as it came, its output index and
    /// sequence number rewritten in place when earlier rounds or held-back events moved them.
    /// </summary>
    private bool TryRelayResponses(in SseEvent ev, Round r, int round, HashSet<int> held, RelayWriter client)
    {
        var data = ev.Data.Span;
        if (!OpenAIResponses.ResponsesEventScanner.Scan(data, out var head))
        {
            client.Add(ev.Raw.Span);
            return true;
        }

        if (head.UsageObject)
        {
            r.Usage.Observe(data);
        }

        if (head.Irregular || head.Type is ResponsesEvent.Completed or ResponsesEvent.Incomplete
            || (head.Type == ResponsesEvent.OutputItemAdded && head.HasItem && head.ItemIsOurs)
            || (head.OutputIndex.Present && held.Contains(head.OutputIndex.Value)))
        {
            return false;
        }

        if (head.Type is ResponsesEvent.Created or ResponsesEvent.InProgress && round > 0)
        {
            return true; // the client already has the response's opening events
        }

        if (head.Type == ResponsesEvent.OutputItemAdded && head.HasItem && head.ItemIsCall)
        {
            r.ClientCalls = true;
        }

        var edits = 0;
        if (head.OutputIndex.Present && _clientOutputItems > 0)
        {
            _edits[edits++] = new NumberEdit(head.OutputIndex.Start, head.OutputIndex.End, head.OutputIndex.Value + _clientOutputItems);
        }

        if (head.Sequence.Present)
        {
            var expected = _nextSequence++;
            if (head.Sequence.Value != expected)
            {
                _edits[edits++] = new NumberEdit(head.Sequence.Start, head.Sequence.End, expected);
            }
        }

        if (edits == 2 && _edits[1].Start < _edits[0].Start)
        {
            (_edits[0], _edits[1]) = (_edits[1], _edits[0]);
        }

        client.Add(ev, _edits.AsSpan(0, edits), null);
        return true;
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

}
