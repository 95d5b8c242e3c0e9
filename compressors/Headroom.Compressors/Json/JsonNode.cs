namespace Headroom.Compressors.Json;

/// <summary>A JSON value with its char range in the source, so kept parts are copied verbatim.</summary>
internal sealed class JsonNode
{
    // Scalars share these (the parser adds only to objects and arrays): a document has far more
    // scalars than containers, and three lists each would dominate the parse.
    private static readonly List<JsonNode> NoChildren = [];
    private static readonly List<int> NoCommas = [];
    private static readonly List<(int Start, int End, int Colon)> NoKeys = [];

    public JsonNode(JsonKind kind, int start)
    {
        Kind = kind;
        Start = start;
        var container = kind is JsonKind.Object or JsonKind.Array;
        Children = container ? [] : NoChildren;
        Commas = container ? [] : NoCommas;
        Keys = kind == JsonKind.Object ? [] : NoKeys;
    }

    public JsonKind Kind { get; }

    public int Start { get; }

    public int End { get; set; }

    /// <summary>Array items or object values, in order.</summary>
    public List<JsonNode> Children { get; }

    /// <summary>Position of the comma before child i (index i - 1).</summary>
    public List<int> Commas { get; }

    /// <summary>Object only: key range (quotes included) and colon position of child i.</summary>
    public List<(int Start, int End, int Colon)> Keys { get; }

    public string Key(string source, int i) => source.Substring(Keys[i].Start + 1, Keys[i].End - Keys[i].Start - 2);

    public JsonNode? Property(string source, string key)
    {
        for (var i = 0; i < Keys.Count; i++)
        {
            var (s, e, _) = Keys[i];
            if (e - s - 2 == key.Length && source.AsSpan(s + 1, key.Length).SequenceEqual(key))
            {
                return Children[i];
            }
        }

        return null;
    }
}
