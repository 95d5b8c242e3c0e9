using System.Globalization;
using System.Text.RegularExpressions;
using Headroom.Compressors.Detection;

namespace Headroom.Compressors.Json;

/// <summary>
/// Picks the items of a long array an agent needs. Anomalies first, uncapped: items whose keys
/// differ from the others' (<see cref="JsonShape"/>), error-like items, items matching the query or
/// naming one of its identifiers, values seen once in a categorical field. Then first and last,
/// numeric outliers (robust z-score over each numeric field) and change points of long runs. In a
/// small input every item that carries a fact (<see cref="JsonFacts"/>) stays too. Exact duplicates
/// are dropped.
/// </summary>
internal static partial class JsonItemSelector
{
    private const int MaxOutliers = 5;
    private const int MaxChanges = 3;

    /// <summary>Odd shapes, errors and query matches of an array (any length). Error words in scalar
    /// items count only where <paramref name="scalars"/> (an array long enough to be thinned).</summary>
    public static JsonCriticalItems Critical(string source, List<JsonNode> items, JsonShape shape, JsonQuery query, bool scalars, CancellationToken cancel)
    {
        var n = items.Count;
        var critical = new bool[n];
        var odd = shape.Anomalies(source, items);
        foreach (var i in odd)
        {
            critical[i] = true;
        }

        int errors = 0, queried = 0;
        var keyKinds = new Dictionary<string, KeyKind>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            cancel.ThrowIfCancellationRequested();
            if (items[i].Kind is not (JsonKind.Object or JsonKind.String or JsonKind.Array) || (items[i].Kind == JsonKind.String && !scalars && query.Words.Length + query.Identifiers.Length == 0))
            {
                continue;
            }

            var raw = source.AsSpan(items[i].Start, items[i].End - items[i].Start);
            if ((scalars || items[i].Kind != JsonKind.String) && IsErrorItem(source, items[i], raw, keyKinds))
            {
                errors++;
                critical[i] = true;
            }

            if (query.Matches(raw))
            {
                queried++;
                critical[i] = true;
            }
        }

        return new JsonCriticalItems([.. critical], critical, odd.Count, errors, queried);
    }

    public static JsonSelection Select(string source, JsonNode array, JsonCriticalItems critical, JsonQuery query, int first, int last, bool small, CancellationToken cancel)
    {
        var items = array.Children;
        var n = items.Count;
        var kept = new SortedSet<int>();
        for (var i = 0; i < Math.Min(first, n); i++)
        {
            kept.Add(i);
        }

        for (var i = Math.Max(0, n - last); i < n; i++)
        {
            kept.Add(i);
        }

        // 1. Odd shapes, errors, query matches and (in a small input) facts: never capped.
        var identifiers = query.Identifiers;
        var facts = 0;
        for (var i = 0; i < n; i++)
        {
            cancel.ThrowIfCancellationRequested();
            if (critical.Protected[i])
            {
                kept.Add(i);
            }
            else if (small && JsonFacts.CarriesFact(source, items[i], identifiers) && kept.Add(i))
            {
                facts++;
            }
        }

        // 2. Field statistics over object items.
        var fields = FieldNames(source, items);
        var outliers = Outliers(source, items, fields);
        var (rare, changes) = Categorical(source, items, fields);
        foreach (var i in outliers.Concat(rare).Concat(changes))
        {
            kept.Add(i);
        }

        // 3. Exact duplicates among the kept items collapse to the first.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<int>(kept.Count);
        var duplicates = 0;
        foreach (var i in kept)
        {
            if (seen.Add(source.Substring(items[i].Start, items[i].End - items[i].Start)))
            {
                result.Add(i);
            }
            else
            {
                duplicates++;
            }
        }

        return new JsonSelection(result, critical.Errors, critical.Queried, outliers.Count, rare.Count, changes.Count, duplicates) { Shape = critical.Shape, Nested = critical.Nested, Facts = facts };
    }

    public static string[] QueryWords(string? query) =>
        string.IsNullOrWhiteSpace(query)
            ? []
            : [.. query.Split([' ', '\t', '\n', ',', ';', '"', '\''], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 3).Distinct(StringComparer.OrdinalIgnoreCase)];

    public static bool MatchesQuery(ReadOnlySpan<char> raw, string query, string[] words)
    {
        if (raw.Contains(query.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var w in words)
        {
            if (!raw.Contains(w, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return words.Length > 1;
    }

    /// <summary>An item with an error-ish field (error, status: failed, level: fatal, an HTTP status
    /// of 4xx/5xx, ...) or, for scalar items, error words in its text. <paramref name="keyKinds"/>
    /// caches what each key name is across the items of one array.</summary>
    public static bool IsErrorItem(string source, JsonNode item, ReadOnlySpan<char> raw, Dictionary<string, KeyKind>? keyKinds = null)
    {
        if (item.Kind == JsonKind.String)
        {
            return LinePatterns.ErrorWord().IsMatch(raw);
        }

        if (item.Kind != JsonKind.Object)
        {
            return false;
        }

        keyKinds ??= new Dictionary<string, KeyKind>(StringComparer.Ordinal);
        var lookup = keyKinds.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var k = 0; k < item.Keys.Count; k++)
        {
            var key = source.AsSpan(item.Keys[k].Start + 1, item.Keys[k].End - item.Keys[k].Start - 2);
            if (!lookup.TryGetValue(key, out var kind))
            {
                kind = ErrorKey().IsMatch(key) ? KeyKind.Error : StatusKey().IsMatch(key) ? KeyKind.Status : KeyKind.Other;
                lookup[key] = kind;
            }

            if (kind == KeyKind.Other)
            {
                continue;
            }

            var value = item.Children[k];
            var text = source.AsSpan(value.Start, value.End - value.Start);
            if (kind == KeyKind.Error)
            {
                // "error": null / false / "" / {} / [] means no error.
                if (!(text is "null" or "false" or "\"\"" or "{}" or "[]" or "0"))
                {
                    return true;
                }
            }
            else if (value.Kind == JsonKind.String && ErrorValue().IsMatch(text))
            {
                return true;
            }
            else if (value.Kind == JsonKind.Number && text.Length == 3 && text[0] is '4' or '5')
            {
                return true; // an HTTP status of 4xx or 5xx
            }
        }

        return false;
    }

    private static List<string> FieldNames(string source, List<JsonNode> items)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items.Take(50))
        {
            if (item.Kind != JsonKind.Object)
            {
                continue;
            }

            for (var k = 0; k < item.Keys.Count; k++)
            {
                var key = item.Key(source, k);
                if (seen.Add(key))
                {
                    names.Add(key);
                }
            }
        }

        return names;
    }

    private static List<int> Outliers(string source, List<JsonNode> items, List<string> fields)
    {
        var scored = new List<(double Score, int Index)>();
        var values = new List<(double Value, int Index)>(items.Count);
        foreach (var field in fields)
        {
            values.Clear();
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i].Kind == JsonKind.Object && items[i].Property(source, field) is { Kind: JsonKind.Number } v
                    && double.TryParse(source.AsSpan(v.Start, v.End - v.Start), NumberStyles.Float, CultureInfo.InvariantCulture, out var x))
                {
                    values.Add((x, i));
                }
            }

            if (values.Count < 10)
            {
                continue;
            }

            var sorted = values.Select(v => v.Value).Order().ToArray();
            var median = sorted[sorted.Length / 2];
            var deviations = sorted.Select(x => Math.Abs(x - median)).Order().ToArray();
            var mad = deviations[deviations.Length / 2] * 1.4826;
            if (mad == 0)
            {
                // Mostly one value: the few that differ are the anomalies (if they are few).
                var differing = values.Where(v => v.Value != median).ToList();
                if (differing.Count > 0 && differing.Count <= Math.Max(1, values.Count / 20))
                {
                    scored.AddRange(differing.Select(v => (double.MaxValue / 2, v.Index)));
                }

                continue;
            }

            foreach (var (x, i) in values)
            {
                var z = Math.Abs(x - median) / mad;
                if (z > 6)
                {
                    scored.Add((z, i));
                }
            }
        }

        return [.. scored.OrderByDescending(s => s.Score).ThenBy(s => s.Index).Select(s => s.Index).Distinct().Take(MaxOutliers)];
    }

    private static (List<int> Rare, List<int> Changes) Categorical(string source, List<JsonNode> items, List<string> fields)
    {
        var rare = new List<int>();
        var changes = new List<int>();
        if (items.Count < 20)
        {
            return (rare, changes);
        }

        foreach (var field in fields)
        {
            var values = new string?[items.Count];
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i].Kind == JsonKind.Object && items[i].Property(source, field) is { Kind: JsonKind.String or JsonKind.Literal } v && v.End - v.Start <= 64)
                {
                    var text = source.Substring(v.Start, v.End - v.Start);
                    values[i] = text;
                    counts[text] = counts.GetValueOrDefault(text) + 1;
                }
            }

            // Categorical: few distinct values (at most √n), most items carry one.
            var present = values.Count(v => v is not null);
            if (counts.Count < 2 || counts.Count > Math.Max(3, (int)Math.Sqrt(items.Count)) || present < items.Count / 2)
            {
                continue;
            }

            for (var i = 0; i < items.Count; i++)
            {
                if (values[i] is { } v && counts[v] == 1)
                {
                    rare.Add(i);
                }
            }

            var switches = new List<int>();
            for (var i = 1; i < items.Count; i++)
            {
                if (values[i] is not null && values[i - 1] is not null && values[i] != values[i - 1])
                {
                    switches.Add(i);
                }
            }

            if (switches.Count <= MaxChanges)
            {
                changes.AddRange(switches.Take(MaxChanges - changes.Count));
            }
        }

        return (rare, changes);
    }

    [GeneratedRegex(@"^(?:error|errors|err|exception|exceptions|failure|failures|fault|stacktrace|stack_trace|traceback)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ErrorKey();

    [GeneratedRegex(@"(?:^|_)(?:status|state|level|severity|conclusion|result|outcome|health)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StatusKey();

    [GeneratedRegex(@"^""(?:error|errored|failed|failure|fail|fatal|critical|crit|emerg|alert|exception|timed_out|timeout|cancelled|canceled|aborted|down|unhealthy|rejected|denied|crashed|panic)""$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ErrorValue();
}
