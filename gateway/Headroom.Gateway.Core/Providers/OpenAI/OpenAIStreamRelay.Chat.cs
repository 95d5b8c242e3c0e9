using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Retrieval;

namespace Headroom.Gateway.Providers.OpenAI;

/// <summary>Chat Completions chunks: <c>choices[0].delta</c> text and <c>tool_calls</c> by index.</summary>
internal sealed partial class OpenAIStreamRelay
{
    /// <summary>
    /// A Chat chunk that neither calls our tool nor closes the turn goes out as it came (text and the
    /// client's own tool calls included); false sends it to the event-by-event logic.
    /// </summary>
    private bool TryRelayChat(in SseEvent ev, Round r, Dictionary<int, int> ourCalls, Dictionary<int, int> clientCalls, RelayWriter client)
    {
        var data = ev.Data.Span;
        if (!OpenAIChat.ChatEventScanner.Scan(data, _calls, out var head))
        {
            client.Add(ev.Raw.Span); // not a JSON object: relayed untouched
            return true;
        }

        if (head.UsageObject)
        {
            r.Usage.Observe(data);
        }

        if (head.ContentStart >= 0)
        {
            // Kept as the upstream escaped it: the continuation writes it back as a JSON string.
            r.Text.Write(data.Slice(head.ContentStart, head.ContentLength));
        }

        if (head.FinishReason || (head.UsageObject && !head.HasChoice) || head.Irregular || (head.HasToolCalls && _calls.Count == 0))
        {
            return false;
        }

        var added = 0;
        foreach (var (index, ours) in _calls)
        {
            if (ours || ourCalls.ContainsKey(index))
            {
                return false;
            }

            // The client's call keeps its index only while no call of ours came before it.
            var dense = clientCalls.TryGetValue(index, out var known) ? known : clientCalls.Count + added++;
            if (dense != index)
            {
                return false;
            }
        }

        foreach (var (index, _) in _calls)
        {
            clientCalls.TryAdd(index, index);
            r.ClientCalls = true;
        }

        client.Add(ev.Raw.Span);
        return true;
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

}
