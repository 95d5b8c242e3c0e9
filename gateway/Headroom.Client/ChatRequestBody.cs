using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Headroom.Client;

/// <summary>
/// A Microsoft.Extensions.AI conversation written as an OpenAI Chat Completions request, so the live
/// zone reads it exactly as it reads that wire protocol (which outputs are newest, which were seen
/// before, which tools are declared). Each tool result's string token is located by byte range, so the
/// live zone's replacements map back to the <see cref="FunctionResultContent"/> they came from.
/// The same messages always give the same bytes: replay keys on a result's bytes.
/// </summary>
internal sealed class ChatRequestBody
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private ChatRequestBody(byte[] bytes, Dictionary<int, (int Message, int Content)> results)
    {
        Bytes = bytes;
        Results = results;
    }

    public byte[] Bytes { get; }

    /// <summary>Start of each tool result's string token → its message and content index.</summary>
    public Dictionary<int, (int Message, int Content)> Results { get; }

    public static ChatRequestBody Write(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        var results = new Dictionary<int, (int, int)>();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("model", options?.ModelId ?? "");
            w.WritePropertyName("messages");
            w.WriteStartArray();
            for (var m = 0; m < messages.Count; m++)
            {
                var message = messages[m];
                var calls = message.Contents.OfType<FunctionCallContent>().ToList();
                var text = string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));
                if (message.Role != ChatRole.Tool && (text.Length > 0 || calls.Count > 0 || !message.Contents.Any(c => c is FunctionResultContent)))
                {
                    w.WriteStartObject();
                    w.WriteString("role", message.Role == ChatRole.Assistant ? "assistant" : message.Role == ChatRole.System ? "system" : "user");
                    w.WriteString("content", text);
                    if (calls.Count > 0)
                    {
                        w.WritePropertyName("tool_calls");
                        w.WriteStartArray();
                        foreach (var call in calls)
                        {
                            w.WriteStartObject();
                            w.WriteString("id", call.CallId);
                            w.WriteString("type", "function");
                            w.WritePropertyName("function");
                            w.WriteStartObject();
                            w.WriteString("name", call.Name);
                            w.WriteString("arguments", JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions));
                            w.WriteEndObject();
                            w.WriteEndObject();
                        }

                        w.WriteEndArray();
                    }

                    w.WriteEndObject();
                }

                for (var c = 0; c < message.Contents.Count; c++)
                {
                    if (message.Contents[c] is not FunctionResultContent result)
                    {
                        continue;
                    }

                    w.WriteStartObject();
                    w.WriteString("role", "tool");
                    w.WriteString("tool_call_id", result.CallId);
                    w.WritePropertyName("content");
                    w.Flush();
                    results[(int)w.BytesCommitted] = (m, c);
                    w.WriteStringValue(ResultText(result));
                    w.WriteEndObject();
                }
            }

            w.WriteEndArray();
            if (options?.Tools is { Count: > 0 } tools)
            {
                w.WritePropertyName("tools");
                w.WriteStartArray();
                foreach (var tool in tools)
                {
                    w.WriteStartObject();
                    w.WriteString("type", "function");
                    w.WritePropertyName("function");
                    w.WriteStartObject();
                    w.WriteString("name", tool.Name);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return new ChatRequestBody(buffer.WrittenSpan.ToArray(), results);
    }

    /// <summary>A tool result as the model reads it: its text, or its JSON.</summary>
    public static string ResultText(FunctionResultContent result) => result.Result switch
    {
        null => "",
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() ?? "",
        var other => JsonSerializer.Serialize(other, AIJsonUtilities.DefaultOptions),
    };
}
