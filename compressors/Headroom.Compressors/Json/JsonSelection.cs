namespace Headroom.Compressors.Json;

/// <summary>Which items of an array survive, and why (for the marker's wording).</summary>
internal sealed record JsonSelection(IReadOnlyList<int> Kept, int Errors, int Queried, int Outliers, int Rare, int Changes, int Duplicates)
{
    /// <summary>Items whose keys differ from the others'.</summary>
    public int Shape { get; init; }

    /// <summary>Items kept because an odd, error or queried item is inside them.</summary>
    public int Nested { get; init; }

    /// <summary>Items of a small input kept for a number, a path or a queried identifier.</summary>
    public int Facts { get; init; }

    /// <summary>Ordinary items kept because the relevance ranker put them first for the query.</summary>
    public int Ranked { get; init; }

    public string Describe(int first, int last, string path)
    {
        var parts = new List<string> { $"kept first {first}", $"last {last}" };
        void Add(int n, string what)
        {
            if (n > 0)
            {
                parts.Add($"{n} {what}");
            }
        }

        Add(Shape, "odd-shape");
        Add(Errors, "error");
        Add(Nested, "holding-such");
        Add(Queried, "query-matching");
        Add(Outliers, "outlier");
        Add(Rare, "rare-value");
        Add(Changes, "change-point");
        Add(Facts, "fact-carrying");
        Add(Ranked, "query-ranked");
        var text = string.Join(", ", parts) + " items";
        if (Duplicates > 0)
        {
            text += $"; {Duplicates} duplicates";
        }

        return $"{text}; array {path}";
    }
}
