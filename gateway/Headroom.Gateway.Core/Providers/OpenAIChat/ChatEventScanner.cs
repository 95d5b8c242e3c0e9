using System.Text.Json;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Retrieval;

namespace Headroom.Gateway.Providers.OpenAIChat;

/// <summary>A Chat Completions chunk read with a <see cref="Utf8JsonReader"/>: usage, finish reason, text, tool-call deltas.</summary>
internal static class ChatEventScanner
{
    /// <summary>
    /// A Chat Completions chunk. <paramref name="calls"/> receives its tool-call deltas (index, whether
    /// it names our tool). False: not a JSON object.
    /// </summary>
    public static bool Scan(ReadOnlySpan<byte> data, List<(int Index, bool Ours)> calls, out ChatHead head)
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
                            ours = r.TokenType == JsonTokenType.String && r.ValueTextEquals(StreamEventScanner.Ours);
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
