using System.Text.Json;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers;

namespace Headroom.Gateway.Retrieval;

/// <summary>Reads a JSON model response just far enough to see whether the model called <c>headroom_retrieve</c>.</summary>
internal static class ResponseInspector
{
    public static ModelTurn? Inspect(ReadOnlySpan<byte> json, ApiKind api)
    {
        if (WireProtocols.For(api) is not { } protocol)
        {
            return null;
        }

        try
        {
            var r = new Utf8JsonReader(json);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var reading = new ResponseReading();
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("usage"u8))
                {
                    r.Read();
                    reading.Usage = r.TokenType == JsonTokenType.StartObject ? JsonRanges.SkipContainer(ref r) : JsonRanges.Value(ref r);
                }
                else if (!protocol.InspectMember(ref r, json, reading))
                {
                    r.Skip();
                }
            }

            return reading.Turn is { } t ? new ModelTurn { Turn = t, Items = reading.Items, Usage = reading.Usage, StopReason = reading.Stop } : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>An array of content blocks / output items / tool calls (the reader is on its value); its range.</summary>
    public static (int, int) Items(ref Utf8JsonReader r, ReadOnlySpan<byte> json, List<TurnItem> items, int offset = 0)
    {
        if (r.TokenType != JsonTokenType.StartArray)
        {
            return JsonRanges.Value(ref r);
        }

        var start = (int)r.TokenStartIndex;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            var range = JsonRanges.Value(ref r);
            var item = Describe(json[range.Start..range.End], range);
            items.Add(item with { Start = item.Start + offset, End = item.End + offset });
        }

        return (start, (int)r.TokenStartIndex + 1);
    }

    /// <summary>Whether an item is a tool call, and whether it is ours (with its call id and hash).</summary>
    public static TurnItem Describe(ReadOnlySpan<byte> item, (int Start, int End) range)
    {
        var r = new Utf8JsonReader(item);
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
        {
            return new TurnItem(range.Start, range.End, false, false, null, null);
        }

        string? type = null, name = null, id = null, callId = null, arguments = null;
        (int, int)? input = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("type"u8)) { r.Read(); type = JsonRanges.StringOrNull(ref r); }
            else if (r.ValueTextEquals("name"u8)) { r.Read(); name = JsonRanges.StringOrNull(ref r); }
            else if (r.ValueTextEquals("id"u8)) { r.Read(); id = JsonRanges.StringOrNull(ref r); }
            else if (r.ValueTextEquals("call_id"u8)) { r.Read(); callId = JsonRanges.StringOrNull(ref r); }
            else if (r.ValueTextEquals("arguments"u8)) { r.Read(); arguments = JsonRanges.StringOrNull(ref r); }
            else if (r.ValueTextEquals("input"u8)) { r.Read(); input = JsonRanges.Value(ref r); }
            else if (r.ValueTextEquals("function"u8))
            {
                // Chat tool call: {"id","type":"function","function":{"name","arguments"}}
                r.Read();
                if (r.TokenType == JsonTokenType.StartObject)
                {
                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        if (r.ValueTextEquals("name"u8)) { r.Read(); name = JsonRanges.StringOrNull(ref r); }
                        else if (r.ValueTextEquals("arguments"u8)) { r.Read(); arguments = JsonRanges.StringOrNull(ref r); }
                        else { r.Skip(); }
                    }
                }
                else
                {
                    r.Skip();
                }
            }
            else { r.Skip(); }
        }

        var isCall = type is "tool_use" or "function_call" or "custom_tool_call" or "function" || type is null && name is not null;
        var ours = isCall && name == RetrieveTool.Name;
        string? hash = null;
        if (ours)
        {
            hash = input is { } i ? HashFrom(item[i.Item1..i.Item2]) : arguments is not null ? HashFrom(System.Text.Encoding.UTF8.GetBytes(arguments)) : null;
        }

        return new TurnItem(range.Start, range.End, isCall, ours, callId ?? id, hash);
    }

    /// <summary>The "hash" argument of a retrieve call, or "" when it is missing or malformed.</summary>
    public static string HashFrom(ReadOnlySpan<byte> argumentsJson)
    {
        try
        {
            var r = new Utf8JsonReader(argumentsJson);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                return "";
            }

            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("hash"u8))
                {
                    r.Read();
                    return JsonRanges.StringOrNull(ref r) ?? "";
                }

                r.Skip();
            }
        }
        catch (JsonException)
        {
            // A partial or malformed argument string: no hash.
        }

        return "";
    }
}
