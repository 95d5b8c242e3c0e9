using System.Text.Json;

namespace Headroom.Bench.Compressors.Oracles;

/// <summary>
/// What must survive compression of a JSON body, decided with System.Text.Json only (no code of
/// the compressors). In every array (to depth 8) these items must keep every scalar leaf value
/// (strings and numbers, at any depth inside the item) somewhere in the output:
/// <list type="bullet">
/// <item>shape anomalies: objects whose key set differs from the key set most of the array's objects share (arrays of ≥ 5 objects with a majority shape);</item>
/// <item>error items: a field named error/errors/exception/failed/failure/fault that is set, a status/statusCode/status_code ≥ 400, or a status/state/conclusion/result of error/failed/failure;</item>
/// <item>queried items: a string leaf containing the query (case-insensitive).</item>
/// </list>
/// </summary>
internal static class JsonOracle
{
    private static readonly HashSet<string> ErrorFields = new(StringComparer.OrdinalIgnoreCase) { "error", "errors", "exception", "failed", "failure", "fault", "error_message", "errorMessage" };
    private static readonly HashSet<string> StatusFields = new(StringComparer.OrdinalIgnoreCase) { "status", "statusCode", "status_code", "http_status" };
    private static readonly HashSet<string> OutcomeFields = new(StringComparer.OrdinalIgnoreCase) { "status", "state", "conclusion", "result", "outcome" };
    private static readonly HashSet<string> FailedValues = new(StringComparer.OrdinalIgnoreCase) { "error", "errored", "failed", "failure", "fatal" };

    public const string Description = "json = shape anomalies (key set ≠ the array's majority key set), error items (error/errors/exception/failed set, status ≥ 400, status/state/conclusion = error|failed) and items with a string containing the query keep every string/number leaf";

    /// <summary>Every item that must survive, counted once however many reasons it has.</summary>
    public static Retained MeasureItems(string input, string? query, string output, List<string>? lost = null) => Measure(input, query, output, lost).Items;

    public static (Retained Items, Retained Anomalies, Retained Errors, Retained Queried) Measure(string input, string? query, string output, List<string>? lost = null)
    {
        using var doc = JsonDocument.Parse(input);
        Retained all = default, anomalies = default, errors = default, queried = default;
        Visit(doc.RootElement, 0);
        return (all, anomalies, errors, queried);

        void Visit(JsonElement e, int depth)
        {
            if (depth > 8)
            {
                return;
            }

            if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    Visit(p.Value, depth + 1);
                }

                return;
            }

            if (e.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            var items = e.EnumerateArray().ToList();
            var majority = MajorityShape(items);
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                var isAnomaly = majority is not null && item.ValueKind == JsonValueKind.Object && Shape(item) != majority;
                var isError = IsError(item);
                var isQueried = !string.IsNullOrEmpty(query) && HoldsQuery(item, query);
                if (isAnomaly || isError || isQueried)
                {
                    var kept = AllLeavesIn(item, output);
                    var r = new Retained(1, kept ? 1 : 0);
                    all += r;
                    if (isAnomaly)
                    {
                        anomalies += r;
                    }

                    if (isError)
                    {
                        errors += r;
                    }

                    if (isQueried)
                    {
                        queried += r;
                    }

                    if (!kept)
                    {
                        lost?.Add($"item {i} ({(isAnomaly ? "shape " : "")}{(isError ? "error " : "")}{(isQueried ? "query" : "")}): {Shorten(item.GetRawText())}");
                    }
                }

                Visit(item, depth + 1);
            }
        }
    }

    private static string? MajorityShape(List<JsonElement> items)
    {
        var objects = items.Where(i => i.ValueKind == JsonValueKind.Object).ToList();
        if (objects.Count < 5)
        {
            return null;
        }

        var top = objects.GroupBy(Shape, StringComparer.Ordinal).OrderByDescending(g => g.Count()).First();
        return top.Count() * 2 > objects.Count ? top.Key : null;
    }

    private static string Shape(JsonElement o) => string.Join('\u0001', o.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

    private static bool IsError(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var p in item.EnumerateObject())
        {
            if (ErrorFields.Contains(p.Name) && IsSet(p.Value))
            {
                return true;
            }

            if (StatusFields.Contains(p.Name) && p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetDouble(out var code) && code >= 400 && code < 600)
            {
                return true;
            }

            if (OutcomeFields.Contains(p.Name) && p.Value.ValueKind == JsonValueKind.String && FailedValues.Contains(p.Value.GetString()!))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSet(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False or JsonValueKind.Undefined => false,
        JsonValueKind.String => v.GetString()!.Length > 0,
        JsonValueKind.Array => v.GetArrayLength() > 0,
        JsonValueKind.Object => v.EnumerateObject().Any(),
        JsonValueKind.Number => v.GetRawText() != "0",
        _ => true,
    };

    private static bool HoldsQuery(JsonElement e, string query) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!.Contains(query, StringComparison.OrdinalIgnoreCase),
        JsonValueKind.Object => e.EnumerateObject().Any(p => HoldsQuery(p.Value, query)),
        JsonValueKind.Array => e.EnumerateArray().Any(x => HoldsQuery(x, query)),
        _ => false,
    };

    private static bool AllLeavesIn(JsonElement e, string output) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().All(p => AllLeavesIn(p.Value, output)),
        JsonValueKind.Array => e.EnumerateArray().All(x => AllLeavesIn(x, output)),
        JsonValueKind.String => e.GetString()!.Length == 0 || output.Contains(e.GetRawText()[1..^1], StringComparison.Ordinal) || output.Contains(e.GetString()!, StringComparison.Ordinal),
        JsonValueKind.Number => output.Contains(e.GetRawText(), StringComparison.Ordinal),
        _ => true,
    };

    private static string Shorten(string s) => s.Length <= 120 ? s : s[..119] + "…";
}
