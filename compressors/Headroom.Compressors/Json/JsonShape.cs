namespace Headroom.Compressors.Json;

/// <summary>
/// The key sets of an array's object items: which one most items share, and which items stand out:
/// when more than half of at least 5 objects share one key set, every object with another; without
/// such a majority, objects with a key that at most a tenth of the items carry or without a key
/// that nine in ten carry.
/// </summary>
internal sealed class JsonShape
{
    private const int MinItems = 5;

    private JsonShape(string?[] signatures, string? modal, int modalCount)
    {
        Signatures = signatures;
        Modal = modal;
        ModalCount = modalCount;
    }

    private static readonly JsonShape NoObjects = new([], null, 0);

    /// <summary>Sorted key names joined, per item; null for an item that is not an object.</summary>
    public string?[] Signatures { get; }

    /// <summary>The most common key set (first seen on ties), or null when no item is an object.</summary>
    public string? Modal { get; }

    public int ModalCount { get; }

    public bool Conforms(int i) => Modal is not null && Signatures[i] == Modal;

    public static JsonShape Of(string source, List<JsonNode> items)
    {
        if (!items.Exists(i => i.Kind == JsonKind.Object))
        {
            return NoObjects;
        }

        var signatures = new string?[items.Count];
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        string? modal = null;
        var modalCount = 0;
        var names = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Kind != JsonKind.Object)
            {
                continue;
            }

            names.Clear();
            for (var k = 0; k < items[i].Keys.Count; k++)
            {
                names.Add(items[i].Key(source, k));
            }

            names.Sort(StringComparer.Ordinal);
            var signature = string.Join('\u0001', names);
            signatures[i] = signature;
            var n = counts[signature] = counts.GetValueOrDefault(signature) + 1;
            if (n > modalCount)
            {
                (modal, modalCount) = (signature, n);
            }
        }

        return new JsonShape(signatures, modal, modalCount);
    }

    /// <summary>Indices of the items whose keys differ from what the others carry.</summary>
    public List<int> Anomalies(string source, List<JsonNode> items)
    {
        var result = new List<int>();
        var n = items.Count;
        if (n < MinItems || Modal is null)
        {
            return result;
        }

        var keyCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var signatureCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var signature in Signatures)
        {
            if (signature is null)
            {
                continue;
            }

            signatureCounts[signature] = signatureCounts.GetValueOrDefault(signature) + 1;
        }

        foreach (var (signature, count) in signatureCounts)
        {
            foreach (var key in signature.Split('\u0001'))
            {
                keyCounts[key] = keyCounts.GetValueOrDefault(key) + count;
            }
        }

        var objects = signatureCounts.Values.Sum();
        var common = keyCounts.Where(k => k.Value * 10 >= n * 9).Select(k => k.Key).ToList();
        var majority = objects >= MinItems && ModalCount * 2 > objects;
        for (var i = 0; i < n; i++)
        {
            if (Signatures[i] is not { } signature || signature == Modal)
            {
                continue;
            }

            var keys = signature.Split('\u0001');
            if (majority || keys.Any(k => keyCounts[k] * 10 <= n) || common.Any(k => Array.IndexOf(keys, k) < 0))
            {
                result.Add(i);
            }
        }

        return result;
    }
}
