namespace Headroom.Compressors.Json;

/// <summary>
/// Table columns whose every written cell can be read off another column's cell: the part of it
/// before (or after) its last separator (<c>downloadUrl</c> = <c>checksumUrl</c> before its last
/// <c>'.'</c>, <c>version</c> = <c>origversion</c> before its last <c>'-'</c>). Such a column is
/// written once as a rule under <c>"headroom:derived"</c> instead of in every row, so nothing is lost:
/// the rule gives the cell back exactly. Only plain strings (no escapes) qualify.
/// </summary>
internal static class JsonDerivedColumns
{
    public const string Key = "headroom:derived";
    private const string Separators = "-._/+:#@ ";
    private const int MinSavedChars = 48;

    /// <summary>One rule per column (null = written as is). <paramref name="cells"/>[row][column].</summary>
    public static JsonDerivation?[] Find(string source, IReadOnlyList<JsonNode[]> cells, int columns)
    {
        var rules = new JsonDerivation?[columns];
        if (cells.Count < 2)
        {
            return rules;
        }

        var plain = new bool[columns];
        for (var c = 0; c < columns; c++)
        {
            plain[c] = true;
            foreach (var row in cells)
            {
                var cell = row[c];
                if (cell.Kind != JsonKind.String || source.AsSpan(cell.Start, cell.End - cell.Start).Contains('\\'))
                {
                    plain[c] = false;
                    break;
                }
            }
        }

        var isSource = new bool[columns];
        for (var b = 0; b < columns; b++)
        {
            if (!plain[b] || isSource[b])
            {
                continue;
            }

            for (var a = 0; a < columns && rules[b] is null; a++)
            {
                if (a == b || !plain[a] || rules[a] is not null)
                {
                    continue;
                }

                foreach (var separator in Separators)
                {
                    if (Holds(source, cells, a, b, separator, before: true))
                    {
                        rules[b] = new JsonDerivation(a, separator, true);
                        break;
                    }

                    if (Holds(source, cells, a, b, separator, before: false))
                    {
                        rules[b] = new JsonDerivation(a, separator, false);
                        break;
                    }
                }

                if (rules[b] is not null)
                {
                    isSource[a] = true;
                }
            }
        }

        return rules;
    }

    /// <summary>The rule as written: <c>"checksumUrl before its last '.'"</c>.</summary>
    public static string Describe(JsonDerivation rule, string sourceColumn) =>
        $"{sourceColumn} {(rule.Before ? "before" : "after")} its last '{rule.Separator}'";

    private static bool Holds(string source, IReadOnlyList<JsonNode[]> cells, int a, int b, char separator, bool before)
    {
        var total = 0;
        foreach (var row in cells)
        {
            // Inner text of both strings (quotes off).
            var full = source.AsSpan(row[a].Start + 1, row[a].End - row[a].Start - 2);
            var part = source.AsSpan(row[b].Start + 1, row[b].End - row[b].Start - 2);
            var at = full.LastIndexOf(separator);
            if (at < 0 || !(before ? full[..at] : full[(at + 1)..]).SequenceEqual(part))
            {
                return false;
            }

            total += part.Length;
        }

        // Worth a rule only when the cells it replaces are longer than the rule itself.
        return total >= MinSavedChars;
    }
}
