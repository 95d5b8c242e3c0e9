namespace Headroom.Compressors.Json;

/// <summary>A JSON value with its char range in the source, so kept parts are copied verbatim.</summary>
internal sealed class JsonNode
{
    // Scalars share these (the parser adds only to objects and arrays): a document has far more
    // scalars than containers, and lists each would dominate the parse.
    private static readonly List<JsonNode> NoChildren = [];
    private static readonly List<(int Start, int End, int Colon)> NoKeys = [];

    public JsonNode(JsonKind kind, int start)
    {
        Kind = kind;
        Start = start;
        var container = kind is JsonKind.Object or JsonKind.Array;
        Children = container ? [] : NoChildren;
        Keys = kind == JsonKind.Object ? [] : NoKeys;
    }

    public JsonKind Kind { get; }

    public int Start { get; }

    public int End { get; set; }

    /// <summary>Array items or object values, in order.</summary>
    public List<JsonNode> Children { get; }

    /// <summary>Position of the comma before child <paramref name="i"/> (i ≥ 1): the first char after
    /// child i - 1 that is not white space. Found when asked rather than stored: a list of them per
    /// container was an eighth of what a parse allocates.</summary>
    public int Comma(string source, int i)
    {
        var at = Children[i - 1].End;
        while (source[at] is ' ' or '\t' or '\r' or '\n')
        {
            at++;
        }

        return at;
    }

    /// <summary>Object only: key range (quotes included) and colon position of child i.</summary>
    public List<(int Start, int End, int Colon)> Keys { get; }

    public string Key(string source, int i) => source.Substring(Keys[i].Start + 1, Keys[i].End - Keys[i].Start - 2);

    public JsonNode? Property(string source, string key) => IndexOf(source, key) is var i and >= 0 ? Children[i] : null;

    /// <summary>Index of the child under <paramref name="key"/> (unescaped text compared as written), or -1.</summary>
    public int IndexOf(string source, string key)
    {
        for (var i = 0; i < Keys.Count; i++)
        {
            if (HasKeyAt(source, i, key))
            {
                return i;
            }
        }

        return -1;
    }

    public bool HasKeyAt(string source, int i, string key)
    {
        var (s, e, _) = Keys[i];
        return e - s - 2 == key.Length && source.AsSpan(s + 1, key.Length).SequenceEqual(key);
    }
}
