using System.Text.Json;

namespace Headroom.Gateway.LiveZone;

/// <summary>Small helpers over <see cref="Utf8JsonReader"/> that report where tokens sit in the body.</summary>
internal static class JsonRanges
{
    /// <summary>The current string token, quotes included, as the client wrote it (escapes untouched).</summary>
    public static (int Start, int End) StringToken(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        return (start, start + reader.ValueSpan.Length + 2);
    }

    /// <summary>Skips the container the reader is on and returns its byte range.</summary>
    public static (int Start, int End) SkipContainer(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return (start, (int)reader.TokenStartIndex + 1);
    }

    /// <summary>Range of whatever value the reader is on (string, number, literal or container).</summary>
    public static (int Start, int End) Value(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.StartObject or JsonTokenType.StartArray => SkipContainer(ref reader),
        JsonTokenType.String => StringToken(ref reader),
        _ => ((int)reader.TokenStartIndex, (int)reader.BytesConsumed),
    };

    public static string? StringOrNull(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString() : null;

    // Roles and block types every request repeats: returned as these instances instead of a new string each.
    private static readonly string[] Vocabulary =
    [
        "user", "assistant", "system", "developer", "tool", "model", "function",
        "text", "tool_use", "tool_result", "image", "document", "thinking", "redacted_thinking", "server_tool_use",
        "message", "input_text", "output_text", "input_image", "function_call", "function_call_output", "reasoning",
        "custom_tool_call", "custom_tool_call_output", "image_url",
    ];

    private static readonly byte[][] VocabularyUtf8 = [.. Vocabulary.Select(System.Text.Encoding.UTF8.GetBytes)];

    /// <summary>Like <see cref="StringOrNull"/>, for a role or type name: a known one comes back without allocating.</summary>
    public static string? NameOrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return null;
        }

        if (!reader.ValueIsEscaped)
        {
            var raw = reader.HasValueSequence ? default : reader.ValueSpan;
            for (var i = 0; i < VocabularyUtf8.Length; i++)
            {
                if (raw.SequenceEqual(VocabularyUtf8[i]))
                {
                    return Vocabulary[i];
                }
            }
        }

        return reader.GetString();
    }

    /// <summary>Decodes a JSON string token at <paramref name="range"/> of <paramref name="body"/>.</summary>
    public static string DecodeString(ReadOnlySpan<byte> body, (int Start, int End) range)
    {
        var reader = new Utf8JsonReader(body[range.Start..range.End]);
        reader.Read();
        return reader.GetString() ?? "";
    }

    private static readonly string[] CommandKeys = ["command", "cmd", "file_path", "path", "filePath", "pattern", "url", "query"];

    /// <summary>
    /// The command or path a tool call names, when its arguments are a JSON object with one of the
    /// usual keys (Bash command, Read file_path, exec_command cmd, ...). Arrays of argv are joined.
    /// </summary>
    public static string? CommandOrPath(ReadOnlySpan<byte> argumentsJson)
    {
        try
        {
            var reader = new Utf8JsonReader(argumentsJson);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            string? best = null;
            var bestRank = int.MaxValue;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var rank = -1;
                for (var k = 0; k < CommandKeys.Length && rank < 0; k++)
                {
                    rank = reader.ValueTextEquals(CommandKeys[k]) ? k : -1;
                }

                reader.Read();
                if (rank >= 0 && rank < bestRank)
                {
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        best = reader.GetString();
                        bestRank = rank;
                        continue;
                    }

                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        var parts = new List<string>();
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType == JsonTokenType.String)
                            {
                                parts.Add(reader.GetString()!);
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }

                        best = string.Join(' ', parts);
                        bestRank = rank;
                        continue;
                    }
                }

                reader.Skip();
            }

            return best is { Length: > 300 } ? best[..300] : best;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
