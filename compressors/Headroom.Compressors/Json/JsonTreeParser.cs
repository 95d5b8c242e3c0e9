namespace Headroom.Compressors.Json;

/// <summary>A strict recursive-descent JSON parser over chars that records positions.</summary>
internal static class JsonTreeParser
{
    private const int MaxDepth = 256;

    public static JsonNode Parse(string s)
    {
        var i = SkipWs(s, 0);
        var root = ParseValue(s, ref i, 0);
        i = SkipWs(s, i);
        if (i != s.Length)
        {
            throw new FormatException($"Unexpected text after the JSON value at char {i}.");
        }

        return root;
    }

    private static JsonNode ParseValue(string s, ref int i, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException("JSON nested too deeply.");
        }

        if (i >= s.Length)
        {
            throw new FormatException("Unexpected end of JSON.");
        }

        switch (s[i])
        {
            case '{':
                {
                    var node = new JsonNode(JsonKind.Object, i++);
                    i = SkipWs(s, i);
                    if (i < s.Length && s[i] == '}')
                    {
                        node.End = ++i;
                        return node;
                    }

                    while (true)
                    {
                        i = SkipWs(s, i);
                        var keyStart = i;
                        if (i >= s.Length || s[i] != '"')
                        {
                            throw new FormatException($"Expected a property name at char {i}.");
                        }

                        i = StringEnd(s, i);
                        var keyEnd = i;
                        i = SkipWs(s, i);
                        if (i >= s.Length || s[i] != ':')
                        {
                            throw new FormatException($"Expected ':' at char {i}.");
                        }

                        var colon = i++;
                        i = SkipWs(s, i);
                        node.Keys.Add((keyStart, keyEnd, colon));
                        node.Children.Add(ParseValue(s, ref i, depth + 1));
                        i = SkipWs(s, i);
                        if (i < s.Length && s[i] == ',')
                        {
                            i++;
                            continue;
                        }

                        if (i < s.Length && s[i] == '}')
                        {
                            node.End = ++i;
                            return node;
                        }

                        throw new FormatException($"Expected ',' or '}}' at char {i}.");
                    }
                }

            case '[':
                {
                    var node = new JsonNode(JsonKind.Array, i++);
                    i = SkipWs(s, i);
                    if (i < s.Length && s[i] == ']')
                    {
                        node.End = ++i;
                        return node;
                    }

                    while (true)
                    {
                        i = SkipWs(s, i);
                        node.Children.Add(ParseValue(s, ref i, depth + 1));
                        i = SkipWs(s, i);
                        if (i < s.Length && s[i] == ',')
                        {
                            i++;
                            continue;
                        }

                        if (i < s.Length && s[i] == ']')
                        {
                            node.End = ++i;
                            return node;
                        }

                        throw new FormatException($"Expected ',' or ']' at char {i}.");
                    }
                }

            case '"':
                {
                    var node = new JsonNode(JsonKind.String, i);
                    i = StringEnd(s, i);
                    node.End = i;
                    return node;
                }

            case 't' or 'f' or 'n':
                {
                    var node = new JsonNode(JsonKind.Literal, i);
                    var word = s[i] == 't' ? "true" : s[i] == 'f' ? "false" : "null";
                    if (string.CompareOrdinal(s, i, word, 0, word.Length) != 0)
                    {
                        throw new FormatException($"Invalid literal at char {i}.");
                    }

                    i += word.Length;
                    node.End = i;
                    return node;
                }

            default:
                {
                    var node = new JsonNode(JsonKind.Number, i);
                    while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] is '-' or '+' or '.' or 'e' or 'E'))
                    {
                        i++;
                    }

                    if (i == node.Start)
                    {
                        throw new FormatException($"Unexpected character '{s[i]}' at char {i}.");
                    }

                    node.End = i;
                    return node;
                }
        }
    }

    private static int StringEnd(string s, int i)
    {
        for (i++; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\\')
            {
                i++;
            }
            else if (c == '"')
            {
                return i + 1;
            }
            else if (c < ' ')
            {
                throw new FormatException($"Control character in string at char {i}.");
            }
        }

        throw new FormatException("Unterminated string.");
    }

    private static int SkipWs(string s, int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or '\r' or '\n')
        {
            i++;
        }

        return i;
    }
}
