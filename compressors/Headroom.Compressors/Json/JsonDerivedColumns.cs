using System.Buffers;

namespace Headroom.Compressors.Json;

/// <summary>
/// Table columns whose every written cell sits inside another column's cell between a fixed prefix and
/// suffix (<c>downloadUrl</c> = <c>checksumUrl</c> without its trailing <c>.sha256</c>; <c>version</c> =
/// <c>checksumUrl</c> without <c>https://…/gradle-</c> and <c>-bin.zip.sha256</c>; a column equal to
/// another) or before or after its last separator (<c>version</c> = <c>origversion</c> before its last
/// <c>-</c>, whatever follows it). Such a column is written once, as an equation under <c>"headroom:derived"</c>, instead of in
/// every row. Nothing is lost: the equation gives every cell back exactly, and each cell's text still
/// stands verbatim inside its source cell. Only plain strings (no escapes) qualify; a source is never
/// itself derived. Found in O(columns² · rows) span comparisons, most pairs rejected on their first row.
/// </summary>
internal static class JsonDerivedColumns
{
    public const string Key = "headroom:derived";

    private const string Separators = "-._/+:#@ ";

    // A name with one of these would make its equation ambiguous to read (or need escaping).
    private static readonly SearchValues<char> NameStops = SearchValues.Create("\\\"' ");

    /// <summary>One rule per column (null = written as is); <paramref name="cells"/>[row][column],
    /// <paramref name="names"/> the columns' names as the equations write them.</summary>
    public static JsonDerivation?[] Find(string source, List<JsonNode[]> cells, IReadOnlyList<string> names)
    {
        var columns = names.Count;
        var rules = new JsonDerivation?[columns];
        if (cells.Count < 2 || columns < 2)
        {
            return rules;
        }

        var plain = new bool[columns];
        var chars = new int[columns];
        for (var c = 0; c < columns; c++)
        {
            plain[c] = names[c].AsSpan().IndexOfAny(NameStops) < 0;
            for (var r = 0; r < cells.Count && plain[c]; r++)
            {
                var cell = cells[r][c];
                plain[c] = cell.Kind == JsonKind.String && source.AsSpan(cell.Start, cell.End - cell.Start).IndexOfAny('\\', '\'') < 0;
                chars[c] += cell.End - cell.Start + 1; // the cell, its quotes and its comma
            }
        }

        // Every pair that holds, then the most saving first (ties in column order), each column either written or derived.
        var candidates = new List<(int Saved, int Derived, JsonDerivation Rule)>();
        for (var b = 0; b < columns; b++)
        {
            for (var a = 0; a < columns; a++)
            {
                if (a != b && plain[a] && plain[b] && Holds(source, cells, a, b) is { } rule)
                {
                    var saved = chars[b] - (rule.Equation(names[a], names[b]).Length + 3);
                    if (saved > 0)
                    {
                        candidates.Add((saved, b, rule));
                    }
                }
            }
        }

        candidates.Sort((x, y) => x.Saved != y.Saved ? y.Saved.CompareTo(x.Saved) : x.Derived != y.Derived ? x.Derived.CompareTo(y.Derived) : x.Rule.Source.CompareTo(y.Rule.Source));
        var isSource = new bool[columns];
        foreach (var (_, b, rule) in candidates)
        {
            if (rules[b] is null && !isSource[b] && rules[rule.Source] is null)
            {
                rules[b] = rule;
                isSource[rule.Source] = true;
            }
        }

        return rules;
    }

    // Column b's cells are column a's with one fixed prefix and suffix taken off, in every row (null when not).
    private static JsonDerivation? Holds(string source, List<JsonNode[]> cells, int a, int b)
    {
        // The prefix and suffix are read off the first row whose cell in b is not empty, at b's first and last place in a.
        var first = -1;
        for (var r = 0; r < cells.Count && first < 0; r++)
        {
            if (cells[r][b].End - cells[r][b].Start > 2)
            {
                first = r;
            }
        }

        if (first < 0)
        {
            return null;
        }

        var full = Inner(source, cells[first][a]);
        var part = Inner(source, cells[first][b]);
        var at = full.IndexOf(part, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        if (Fits(source, cells, first, a, b, at, full.Length - at - part.Length))
        {
            return new JsonDerivation(a, full[..at].ToString(), full[(at + part.Length)..].ToString());
        }

        var last = full.LastIndexOf(part, StringComparison.Ordinal);
        if (last != at && Fits(source, cells, first, a, b, last, full.Length - last - part.Length))
        {
            return new JsonDerivation(a, full[..last].ToString(), full[(last + part.Length)..].ToString());
        }

        // The part before (or after) the last separator, where what follows it varies (1.13.2 of 1.13.2-1 and 1.11.5 of 1.11.5-2).
        foreach (var separator in Separators)
        {
            foreach (var before in (ReadOnlySpan<bool>)[true, false])
            {
                if (Splits(source, cells, a, b, separator, before))
                {
                    return new JsonDerivation(a, "", "", separator, before);
                }
            }
        }

        return null;
    }

    private static bool Splits(string source, List<JsonNode[]> cells, int a, int b, char separator, bool before)
    {
        foreach (var row in cells)
        {
            var whole = Inner(source, row[a]);
            var at = whole.LastIndexOf(separator);
            if (at < 0 || !(before ? whole[..at] : whole[(at + 1)..]).SequenceEqual(Inner(source, row[b])))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Fits(string source, List<JsonNode[]> cells, int first, int a, int b, int prefix, int suffix)
    {
        var model = Inner(source, cells[first][a]);
        foreach (var row in cells)
        {
            var whole = Inner(source, row[a]);
            var cell = Inner(source, row[b]);
            if (whole.Length != prefix + cell.Length + suffix
                || !whole[..prefix].SequenceEqual(model[..prefix])
                || !whole[^suffix..].SequenceEqual(model[^suffix..])
                || !whole.Slice(prefix, cell.Length).SequenceEqual(cell))
            {
                return false;
            }
        }

        return true;
    }

    private static ReadOnlySpan<char> Inner(string source, JsonNode cell) => source.AsSpan(cell.Start + 1, cell.End - cell.Start - 2);
}
