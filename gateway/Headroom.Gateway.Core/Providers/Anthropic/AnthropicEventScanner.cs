using System.Text.Json;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Retrieval;

namespace Headroom.Gateway.Providers.Anthropic;

/// <summary>An Anthropic stream event read with a <see cref="Utf8JsonReader"/>: its type, block index and started block.</summary>
internal static class AnthropicEventScanner
{
    /// <summary>The event that is not a JSON object (false) is relayed untouched.</summary>
    public static bool Scan(ReadOnlySpan<byte> data, out AnthropicHead head)
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
                toolCall = StreamEventScanner.RequireString(ref r, "content_block.type") && (r.ValueTextEquals("tool_use"u8) || r.ValueTextEquals("server_tool_use"u8));
            }
            else if (r.ValueTextEquals("name"u8))
            {
                r.Read();
                ours = StreamEventScanner.RequireString(ref r, "content_block.name") && r.ValueTextEquals(StreamEventScanner.Ours);
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
