namespace Headroom.Compressors.Json;

/// <summary>Which items of an array survive, and why (for the marker's wording).</summary>
internal sealed record JsonSelection(IReadOnlyList<int> Kept, int Errors, int Queried, int Outliers, int Rare, int Changes, int Duplicates)
{
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

        Add(Errors, "error");
        Add(Queried, "query-matching");
        Add(Outliers, "outlier");
        Add(Rare, "rare-value");
        Add(Changes, "change-point");
        var text = string.Join(", ", parts) + " items";
        if (Duplicates > 0)
        {
            text += $"; {Duplicates} duplicates";
        }

        return $"{text}; array {path}";
    }
}
