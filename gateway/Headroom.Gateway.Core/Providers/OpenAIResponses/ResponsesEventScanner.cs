using System.Text.Json;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Retrieval;

namespace Headroom.Gateway.Providers.OpenAIResponses;

/// <summary>A Responses event read with a <see cref="Utf8JsonReader"/>: type, output index, sequence number, the added item.</summary>
internal static class ResponsesEventScanner
{
    /// <summary>A Responses event. False: not a JSON object.</summary>
    public static bool Scan(ReadOnlySpan<byte> data, out ResponsesHead head)
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
                ours = r.TokenType == JsonTokenType.String && r.ValueTextEquals(StreamEventScanner.Ours);
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
