using System.Text.Json;
using Headroom.Gateway.LiveZone;

namespace Headroom.Gateway.Retrieval;

/// <summary>
/// Reads one stream event's JSON with a <see cref="Utf8JsonReader"/>, no DOM: what the relay needs to
/// decide whether the event goes out untouched, with a number changed, or to the event-by-event logic
/// that handles our own tool call. The whole event is tokenized, so malformed JSON is told apart exactly
/// as a parse would tell it.
/// </summary>
internal static class StreamEventScanner
{
    private static ReadOnlySpan<byte> Ours => "headroom_retrieve"u8;

    /// <summary>The event that is not a JSON object (false) is relayed untouched.</summary>
    public static bool Anthropic(ReadOnlySpan<byte> data, out AnthropicHead head)
    {
        head = default;
        head.Index = -1;
        try
        {
            var r = new Utf8JsonReader(data);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("type"u8))
                {
                    r.Read();
                    head.Type = r.TokenType switch
                    {
                        JsonTokenType.Null => AnthropicEvent.None,
                        JsonTokenType.String => AnthropicType(ref r),
                        _ => throw new InvalidOperationException($"the event's type is a JSON {r.TokenType}, not a string"),
                    };
                }
                else if (r.ValueTextEquals("index"u8))
                {
                    r.Read();
                    if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        r.Skip();
                        head.IndexIsContainer = true;
                        continue;
                    }

                    if (r.TokenType == JsonTokenType.Null)
                    {
                        continue;
                    }

                    if (r.TokenType != JsonTokenType.Number || !r.TryGetInt32(out var index))
                    {
                        throw new InvalidOperationException($"the event's index is a JSON {r.TokenType}, not an integer");
                    }

                    head.Index = index;
                    head.IndexStart = (int)r.TokenStartIndex;
                    head.IndexEnd = head.IndexStart + r.ValueSpan.Length;
                }
                else if (r.ValueTextEquals("content_block"u8))
                {
                    r.Read();
                    if (r.TokenType == JsonTokenType.StartObject)
                    {
                        head.HasBlock = true;
                        Block(ref r, ref head);
                    }
                    else
                    {
                        r.Skip();
                    }
                }
                else
                {
                    r.Read();
                    r.Skip();
                }
            }

            // The rest: only the end of the root object (anything else throws).
            while (r.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static AnthropicEvent AnthropicType(ref Utf8JsonReader r) =>
        r.ValueTextEquals("content_block_delta"u8) ? AnthropicEvent.ContentBlockDelta
        : r.ValueTextEquals("content_block_start"u8) ? AnthropicEvent.ContentBlockStart
        : r.ValueTextEquals("content_block_stop"u8) ? AnthropicEvent.ContentBlockStop
        : r.ValueTextEquals("message_start"u8) ? AnthropicEvent.MessageStart
        : r.ValueTextEquals("message_delta"u8) ? AnthropicEvent.MessageDelta
        : r.ValueTextEquals("message_stop"u8) ? AnthropicEvent.MessageStop
        : AnthropicEvent.Other;

    private static void Block(ref Utf8JsonReader r, ref AnthropicHead head)
    {
        var toolCall = false;
        var ours = false;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("type"u8))
            {
                r.Read();
                toolCall = RequireString(ref r, "content_block.type") && (r.ValueTextEquals("tool_use"u8) || r.ValueTextEquals("server_tool_use"u8));
            }
            else if (r.ValueTextEquals("name"u8))
            {
                r.Read();
                ours = RequireString(ref r, "content_block.name") && r.ValueTextEquals(Ours);
            }
            else
            {
                r.Read();
                r.Skip();
            }
        }

        head.BlockIsToolCall = toolCall;
        head.BlockIsOurs = toolCall && ours;
    }

    /// <summary>True for a string, false for null; any other JSON type is an error (as reading it as a string would be).</summary>
    private static bool RequireString(ref Utf8JsonReader r, string what) => r.TokenType switch
    {
        JsonTokenType.String => true,
        JsonTokenType.Null => false,
        _ => throw new InvalidOperationException($"{what} is a JSON {r.TokenType}, not a string"),
    };

    /// <summary>
    /// A Chat Completions chunk. <paramref name="calls"/> receives its tool-call deltas (index, whether
    /// it names our tool). False: not a JSON object.
    /// </summary>
    public static bool Chat(ReadOnlySpan<byte> data, List<(int Index, bool Ours)> calls, out ChatHead head)
    {
        head = default;
        head.ContentStart = -1;
        calls.Clear();
        try
        {
            var r = new Utf8JsonReader(data);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("usage"u8))
                {
                    r.Read();
                    head.UsageObject = r.TokenType == JsonTokenType.StartObject;
                    r.Skip();
                }
                else if (r.ValueTextEquals("choices"u8))
                {
                    r.Read();
                    if (r.TokenType != JsonTokenType.StartArray)
                    {
                        r.Skip();
                        continue;
                    }

                    var first = true;
                    while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                    {
                        if (first && r.TokenType == JsonTokenType.StartObject)
                        {
                            head.HasChoice = true;
                            Choice(ref r, calls, ref head);
                        }
                        else
                        {
                            r.Skip();
                        }

                        first = false;
                    }
                }
                else
                {
                    r.Read();
                    r.Skip();
                }
            }

            while (r.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            calls.Clear();
            return false;
        }
    }

    private static void Choice(ref Utf8JsonReader r, List<(int Index, bool Ours)> calls, ref ChatHead head)
    {
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("finish_reason"u8))
            {
                r.Read();
                head.FinishReason = r.TokenType != JsonTokenType.Null;
                r.Skip();
            }
            else if (r.ValueTextEquals("delta"u8))
            {
                r.Read();
                if (r.TokenType != JsonTokenType.StartObject)
                {
                    r.Skip();
                    continue;
                }

                head.HasDelta = true;
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    if (r.ValueTextEquals("content"u8))
                    {
                        r.Read();
                        if (r.TokenType == JsonTokenType.String)
                        {
                            head.ContentStart = (int)r.TokenStartIndex + 1;
                            head.ContentLength = r.ValueSpan.Length;
                        }
                        else
                        {
                            r.Skip();
                        }
                    }
                    else if (r.ValueTextEquals("tool_calls"u8))
                    {
                        r.Read();
                        if (r.TokenType == JsonTokenType.StartArray)
                        {
                            head.HasToolCalls = true;
                            ToolCalls(ref r, calls, ref head);
                        }
                        else
                        {
                            r.Skip();
                        }
                    }
                    else
                    {
                        r.Read();
                        r.Skip();
                    }
                }
            }
            else
            {
                r.Read();
                r.Skip();
            }
        }
    }

    private static void ToolCalls(ref Utf8JsonReader r, List<(int Index, bool Ours)> calls, ref ChatHead head)
    {
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType != JsonTokenType.StartObject)
            {
                head.Irregular = true;
                r.Skip();
                continue;
            }

            var index = 0;
            var ours = false;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("index"u8))
                {
                    r.Read();
                    if (r.TokenType != JsonTokenType.Number || !r.TryGetInt32(out index))
                    {
                        head.Irregular = true;
                        r.Skip();
                    }
                }
                else if (r.ValueTextEquals("function"u8))
                {
                    r.Read();
                    if (r.TokenType != JsonTokenType.StartObject)
                    {
                        head.Irregular |= r.TokenType != JsonTokenType.Null;
                        r.Skip();
                        continue;
                    }

                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        var name = r.ValueTextEquals("name"u8);
                        r.Read();
                        if (name)
                        {
                            head.Irregular |= r.TokenType is not (JsonTokenType.String or JsonTokenType.Null);
                            ours = r.TokenType == JsonTokenType.String && r.ValueTextEquals(Ours);
                        }

                        r.Skip();
                    }
                }
                else
                {
                    r.Read();
                    r.Skip();
                }
            }

            calls.Add((index, ours));
        }
    }

    /// <summary>A Responses event. False: not a JSON object.</summary>
    public static bool Responses(ReadOnlySpan<byte> data, out ResponsesHead head)
    {
        head = default;
        try
        {
            var r = new Utf8JsonReader(data);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("type"u8))
                {
                    r.Read();
                    head.Irregular |= r.TokenType is not (JsonTokenType.String or JsonTokenType.Null);
                    head.Type = r.TokenType != JsonTokenType.String ? ResponsesEvent.Other
                        : r.ValueTextEquals("response.created"u8) ? ResponsesEvent.Created
                        : r.ValueTextEquals("response.in_progress"u8) ? ResponsesEvent.InProgress
                        : r.ValueTextEquals("response.completed"u8) ? ResponsesEvent.Completed
                        : r.ValueTextEquals("response.incomplete"u8) ? ResponsesEvent.Incomplete
                        : r.ValueTextEquals("response.output_item.added"u8) ? ResponsesEvent.OutputItemAdded
                        : ResponsesEvent.Other;
                    r.Skip();
                }
                else if (r.ValueTextEquals("output_index"u8) || r.ValueTextEquals("sequence_number"u8))
                {
                    var sequence = r.ValueTextEquals("sequence_number"u8);
                    r.Read();
                    if (r.TokenType != JsonTokenType.Number || !r.TryGetInt32(out var value))
                    {
                        head.Irregular = true;
                        r.Skip();
                        continue;
                    }

                    var number = new NumberToken(true, value, (int)r.TokenStartIndex, (int)r.TokenStartIndex + r.ValueSpan.Length);
                    if (sequence)
                    {
                        head.Sequence = number;
                    }
                    else
                    {
                        head.OutputIndex = number;
                    }
                }
                else if (r.ValueTextEquals("item"u8))
                {
                    r.Read();
                    if (r.TokenType == JsonTokenType.StartObject)
                    {
                        head.HasItem = true;
                        Item(ref r, ref head);
                    }
                    else
                    {
                        r.Skip();
                    }
                }
                else if (r.ValueTextEquals("usage"u8))
                {
                    r.Read();
                    head.UsageObject |= r.TokenType == JsonTokenType.StartObject;
                    r.Skip();
                }
                else if (r.ValueTextEquals("response"u8))
                {
                    r.Read();
                    if (r.TokenType != JsonTokenType.StartObject)
                    {
                        r.Skip();
                        continue;
                    }

                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        var usage = r.ValueTextEquals("usage"u8);
                        r.Read();
                        head.UsageObject |= usage && r.TokenType == JsonTokenType.StartObject;
                        r.Skip();
                    }
                }
                else
                {
                    r.Read();
                    r.Skip();
                }
            }

            while (r.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void Item(ref Utf8JsonReader r, ref ResponsesHead head)
    {
        var functionCall = false;
        var ours = false;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("type"u8))
            {
                r.Read();
                head.Irregular |= r.TokenType is not (JsonTokenType.String or JsonTokenType.Null);
                functionCall = r.TokenType == JsonTokenType.String && r.ValueTextEquals("function_call"u8);
                head.ItemIsCall = functionCall || (r.TokenType == JsonTokenType.String && r.ValueTextEquals("custom_tool_call"u8));
            }
            else if (r.ValueTextEquals("name"u8))
            {
                r.Read();
                head.Irregular |= r.TokenType is not (JsonTokenType.String or JsonTokenType.Null);
                ours = r.TokenType == JsonTokenType.String && r.ValueTextEquals(Ours);
            }
            else
            {
                r.Read();
            }

            r.Skip();
        }

        head.ItemIsOurs = functionCall && ours;
    }
}

internal enum AnthropicEvent
{
    None,
    Other,
    MessageStart,
    ContentBlockStart,
    ContentBlockDelta,
    ContentBlockStop,
    MessageDelta,
    MessageStop,
}

/// <summary>What an Anthropic event is: its type, its block index (and where the number is), the started block.</summary>
internal struct AnthropicHead
{
    public AnthropicEvent Type;
    public int Index;
    public int IndexStart;
    public int IndexEnd;
    public bool IndexIsContainer;
    public bool HasBlock;
    public bool BlockIsToolCall;
    public bool BlockIsOurs;

    public readonly bool HasIndex => Index >= 0;
}

/// <summary>What a Chat chunk carries: usage, a finish reason, content text (its escaped bytes), tool calls.</summary>
internal struct ChatHead
{
    public bool UsageObject;
    public bool HasChoice;
    public bool HasDelta;
    public bool FinishReason;
    public bool HasToolCalls;
    public bool Irregular;
    public int ContentStart;
    public int ContentLength;
}

internal enum ResponsesEvent
{
    Other,
    Created,
    InProgress,
    Completed,
    Incomplete,
    OutputItemAdded,
}

/// <summary>An integer property of an event and where its digits are.</summary>
internal readonly record struct NumberToken(bool Present, int Value, int Start, int End);

/// <summary>What a Responses event is: type, output index, sequence number, the added item, usage.</summary>
internal struct ResponsesHead
{
    public ResponsesEvent Type;
    public NumberToken OutputIndex;
    public NumberToken Sequence;
    public bool HasItem;
    public bool ItemIsCall;
    public bool ItemIsOurs;
    public bool UsageObject;

    /// <summary>A property of an unexpected JSON type: the event goes to the DOM logic, which reports it as before.</summary>
    public bool Irregular;
}
