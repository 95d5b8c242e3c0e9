using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers;
using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Retrieval;

/// <summary>Byte-level edits the retrieval loop makes: continue a conversation, hide our calls, sum usage.</summary>
internal static class TurnEditor
{
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The forwarded request plus the model's turn and the answers to its retrieve calls, appended
    /// at the end of the conversation: every earlier byte stays as it was, so the provider's prefix
    /// cache covers the whole first request.
    /// </summary>
    public static byte[]? Continue(ReadOnlySpan<byte> request, ApiKind api, ReadOnlySpan<byte> response, ModelTurn turn, IReadOnlyList<RetrievedOriginal> answers)
    {
        var shape = RequestWalker.Walk(request, api);
        if (shape?.Conversation is not { } conversation)
        {
            return null;
        }

        var turnJson = response[turn.Turn.Start..turn.Turn.End];
        var buffer = new ArrayBufferWriter<byte>(turnJson.Length + answers.Sum(a => a.Text.Length) + 256);
        var empty = request[(conversation.Start + 1)..(conversation.End - 1)].Trim(" \t\r\n"u8).IsEmpty;

        void Raw(ReadOnlySpan<byte> bytes) => buffer.Write(bytes);
        void Str(string text)
        {
            using var w = new Utf8JsonWriter(buffer, Relaxed);
            w.WriteStringValue(text);
        }

        if (!empty)
        {
            Raw(","u8);
        }

        switch (api)
        {
            case ApiKind.AnthropicMessages:
                Raw("{\"role\":\"assistant\",\"content\":"u8);
                Raw(turnJson);
                Raw("},{\"role\":\"user\",\"content\":["u8);
                for (var i = 0; i < answers.Count; i++)
                {
                    Raw(i == 0 ? "{\"type\":\"tool_result\",\"tool_use_id\":"u8 : ",{\"type\":\"tool_result\",\"tool_use_id\":"u8);
                    Str(answers[i].CallId);
                    Raw(",\"content\":"u8);
                    Str(answers[i].Text);
                    Raw(answers[i].Found ? "}"u8 : ",\"is_error\":true}"u8);
                }

                Raw("]}"u8);
                break;
            case ApiKind.OpenAIChat:
                Raw(turnJson);
                foreach (var a in answers)
                {
                    Raw(",{\"role\":\"tool\",\"tool_call_id\":"u8);
                    Str(a.CallId);
                    Raw(",\"content\":"u8);
                    Str(a.Text);
                    Raw("}"u8);
                }

                break;
            case ApiKind.OpenAIResponses:
                var first = true;
                foreach (var item in turn.Items)
                {
                    if (!first)
                    {
                        Raw(","u8);
                    }

                    first = false;
                    Raw(response[item.Start..item.End]);
                }

                foreach (var a in answers)
                {
                    Raw(first ? "{\"type\":\"function_call_output\",\"call_id\":"u8 : ",{\"type\":\"function_call_output\",\"call_id\":"u8);
                    first = false;
                    Str(a.CallId);
                    Raw(",\"output\":"u8);
                    Str(a.Text);
                    Raw("}"u8);
                }

                break;
            default:
                return null;
        }

        return Splice.Apply(request, [new Splice(conversation.End - 1, conversation.End - 1, buffer.WrittenMemory)]);
    }

    /// <summary>The response without our retrieve calls (each removed with its separating comma).</summary>
    public static List<Splice> RemoveItems(ReadOnlySpan<byte> json, IEnumerable<TurnItem> remove)
    {
        var splices = new List<Splice>();
        foreach (var item in remove.OrderBy(i => i.Start))
        {
            var before = item.Start - 1;
            while (before >= 0 && IsSpace(json[before]))
            {
                before--;
            }

            if (before >= 0 && json[before] == (byte)',')
            {
                splices.Add(new Splice(before, item.End, ReadOnlyMemory<byte>.Empty));
                continue;
            }

            var after = item.End;
            while (after < json.Length && IsSpace(json[after]))
            {
                after++;
            }

            splices.Add(new Splice(item.Start, after < json.Length && json[after] == (byte)',' ? after + 1 : item.End, ReadOnlyMemory<byte>.Empty));
        }

        return splices;
    }

    /// <summary>A usage object in the provider's own field names with the summed counts of every round.</summary>
    public static byte[] UsageJson(ApiKind api, TokenUsage total)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            var promptTotal = total.InputTokens + total.CacheReadTokens;
            switch (api)
            {
                case ApiKind.OpenAIChat:
                    w.WriteNumber("prompt_tokens", promptTotal);
                    w.WriteNumber("completion_tokens", total.OutputTokens);
                    w.WriteNumber("total_tokens", promptTotal + total.OutputTokens);
                    w.WriteStartObject("prompt_tokens_details");
                    w.WriteNumber("cached_tokens", total.CacheReadTokens);
                    w.WriteEndObject();
                    break;
                case ApiKind.OpenAIResponses:
                    w.WriteNumber("input_tokens", promptTotal);
                    w.WriteStartObject("input_tokens_details");
                    w.WriteNumber("cached_tokens", total.CacheReadTokens);
                    w.WriteEndObject();
                    w.WriteNumber("output_tokens", total.OutputTokens);
                    w.WriteNumber("total_tokens", promptTotal + total.OutputTokens);
                    break;
                default:
                    w.WriteNumber("input_tokens", total.InputTokens);
                    w.WriteNumber("cache_creation_input_tokens", total.CacheWriteTokens);
                    w.WriteNumber("cache_read_input_tokens", total.CacheReadTokens);
                    w.WriteStartObject("cache_creation");
                    w.WriteNumber("ephemeral_5m_input_tokens", total.CacheWrite5mTokens);
                    w.WriteNumber("ephemeral_1h_input_tokens", total.CacheWrite1hTokens);
                    w.WriteEndObject();
                    w.WriteNumber("output_tokens", total.OutputTokens);
                    break;
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
