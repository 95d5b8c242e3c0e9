using System.Text.Json;
using System.Text.RegularExpressions;

namespace Headroom.Compressors.Tests.Json;

/// <summary>
/// What must survive JSON compression, decided with System.Text.Json and rules of its own (shares
/// no code with the JSON compressor): in every array with at least 5 objects, (1) objects whose key
/// set differs from the key set more than half of them share; (2)
/// items with an error-like field (a non-empty error/exception/failure value, a status of failed or
/// error, an HTTP status ≥ 400); (3) items holding a value the query names (an identifier-like
/// word of the query: one with a digit, '_', '-', '.', '/' or ':').
/// </summary>
internal static partial class JsonAnomalyOracle
{
    /// <summary>Each must-keep item's leaf values as raw JSON text, with the reason it must stay.</summary>
    public static List<(string Reason, string Path, List<string> Values)> MustKeep(string json, string? query)
    {
        using var doc = JsonDocument.Parse(json);
        var result = new List<(string, string, List<string>)>();
        var identifiers = Identifiers(query);
        Walk(doc.RootElement, "$", result, identifiers);
        return result;
    }

    /// <summary>Values of <paramref name="item"/> missing from <paramref name="output"/>: every leaf
    /// string must appear with its quotes, every number as written. Where the output writes table columns
    /// once as <c>headroom:derived</c> equations, a string may stand without its quotes: such a cell is
    /// the text of another cell with a fixed prefix and suffix off, so it stands inside that cell.</summary>
    public static List<string> Missing(string output, List<string> values)
    {
        var derived = output.Contains("\"headroom:derived\":[", StringComparison.Ordinal);
        return [.. values.Where(v => !output.Contains(v, StringComparison.Ordinal)
            && !(derived && v.Length > 2 && v[0] == '"' && output.Contains(v[1..^1], StringComparison.Ordinal)))];
    }

    private static void Walk(JsonElement e, string path, List<(string, string, List<string>)> result, string[] identifiers)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
            {
                Walk(p.Value, path + "." + p.Name, result, identifiers);
            }

            return;
        }

        if (e.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var items = e.EnumerateArray().ToList();
        var objects = items.Count(i => i.ValueKind == JsonValueKind.Object);
        if (objects >= 5)
        {
            var sets = items.Select(i => i.ValueKind == JsonValueKind.Object ? string.Join("\u0001", i.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)) : null).ToList();
            var counts = sets.OfType<string>().GroupBy(s => s, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var majority = counts.MaxBy(c => c.Value);
            for (var i = 0; i < items.Count; i++)
            {
                if (sets[i] is null)
                {
                    continue;
                }

                string? reason = null;
                if (majority.Value * 2 > objects && sets[i] != majority.Key)
                {
                    reason = "shape";
                }
                else if (IsError(items[i]))
                {
                    reason = "error";
                }
                else if (identifiers.Length > 0 && identifiers.Any(id => items[i].GetRawText().Contains(id, StringComparison.OrdinalIgnoreCase)))
                {
                    reason = "query";
                }

                if (reason is not null)
                {
                    var leaves = new List<string>();
                    Leaves(items[i], leaves);
                    result.Add((reason, $"{path}[{i}]", leaves));
                }
            }
        }

        foreach (var item in items)
        {
            Walk(item, path + "[]", result, identifiers);
        }
    }

    private static bool IsError(JsonElement item)
    {
        foreach (var p in item.EnumerateObject())
        {
            var name = p.Name.ToLowerInvariant();
            if (name is "error" or "errors" or "exception" or "failure" or "fault" && p.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.False)
                && p.Value.GetRawText() is not ("\"\"" or "{}" or "[]"))
            {
                return true;
            }

            if (name.EndsWith("status", StringComparison.Ordinal) || name is "state" or "conclusion" or "level")
            {
                if (p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.ToLowerInvariant() is "failed" or "failure" or "error" or "fatal" or "crashed")
                {
                    return true;
                }

                if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var code) && code is >= 400 and < 600)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void Leaves(JsonElement e, List<string> into)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    Leaves(p.Value, into);
                }

                break;
            case JsonValueKind.Array:
                foreach (var x in e.EnumerateArray())
                {
                    Leaves(x, into);
                }

                break;
            default:
                into.Add(e.GetRawText());
                break;
        }
    }

    private static string[] Identifiers(string? query) =>
        query is null ? [] : [.. IdentifierWord().Matches(query).Select(m => m.Value.TrimEnd('.', ':', '/')).Where(w => w.Length >= 3).Distinct(StringComparer.OrdinalIgnoreCase)];

    [GeneratedRegex(@"[A-Za-z0-9][A-Za-z0-9_\-./:]*(?:[0-9_\-./:][A-Za-z0-9_\-./:]*)+")]
    private static partial Regex IdentifierWord();
}
