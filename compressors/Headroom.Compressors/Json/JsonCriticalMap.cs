namespace Headroom.Compressors.Json;

/// <summary>
/// The critical items (<see cref="JsonItemSelector.Critical"/>) of every array of a document,
/// found bottom-up in one pass, so that an item holding a critical item somewhere inside it is
/// itself critical: dropping it would drop what it holds.
/// </summary>
internal sealed class JsonCriticalMap
{
    // Keyed by the array's start: no two arrays start at one char, and an int hashes for nothing (an object's
    // identity hash was a tenth of the compressor's time on a document of many small arrays).
    private readonly Dictionary<int, (JsonShape Shape, JsonCriticalItems Critical)> _arrays = [];
    private readonly string _source;
    private readonly JsonQuery _query;
    private readonly int _thinnedAbove;
    private readonly CancellationToken _cancel;

    private JsonCriticalMap(string source, JsonQuery query, int thinnedAbove, CancellationToken cancel) =>
        (_source, _query, _thinnedAbove, _cancel) = (source, query, thinnedAbove, cancel);

    /// <summary>Arrays longer than <paramref name="thinnedAbove"/> items may be thinned.</summary>
    public static JsonCriticalMap Build(string source, JsonNode root, JsonQuery query, int thinnedAbove, CancellationToken cancel)
    {
        var map = new JsonCriticalMap(source, query, thinnedAbove, cancel);
        map.Walk(root);
        return map;
    }

    public (JsonShape Shape, JsonCriticalItems Critical) Of(JsonNode array) => _arrays[array.Start];

    // True when the subtree holds a critical item of some array.
    private bool Walk(JsonNode node)
    {
        switch (node.Kind)
        {
            case JsonKind.Object:
                var any = false;
                foreach (var child in node.Children)
                {
                    any |= Walk(child);
                }

                return any;
            case JsonKind.Array:
                var holds = new bool[node.Children.Count];
                for (var i = 0; i < holds.Length; i++)
                {
                    holds[i] = Walk(node.Children[i]);
                }

                if (_query.IsEmpty && node.Children.Count <= _thinnedAbove && !node.Children.Exists(c => c.Kind is JsonKind.Object or JsonKind.Array))
                {
                    // Short scalar arrays are never thinned and hold nothing critical.
                    _arrays[node.Start] = (JsonShape.Of(_source, node.Children), new JsonCriticalItems(new bool[holds.Length], new bool[holds.Length], 0, 0, 0));
                    return false;
                }

                var shape = JsonShape.Of(_source, node.Children);
                var critical = JsonItemSelector.Critical(_source, node.Children, shape, _query, node.Children.Count > _thinnedAbove, _cancel);
                var nested = 0;
                for (var i = 0; i < holds.Length; i++)
                {
                    if (holds[i] && !critical.Protected[i])
                    {
                        critical.Protected[i] = true;
                        nested++;
                    }
                }

                critical = critical with { Nested = nested };
                _arrays[node.Start] = (shape, critical);
                return critical.Any;
            default:
                return false;
        }
    }
}
