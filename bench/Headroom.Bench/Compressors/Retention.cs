using System.Text.Json;
using Headroom.Compressors.Detection;
using Headroom.Compressors.Json;
using Headroom.Compressors.Logs;
using Headroom.Compressors.Pipeline;

namespace Headroom.Bench.Compressors;

/// <summary>
/// What must survive compression, per type, and how much of it did:
/// logs — every distinct error/alert message (modulo numbers and timestamps) has a line in the output verbatim;
/// json — every query-matching or error item of every array still has all its top-level scalar values;
/// diff — every +/- line is in the output verbatim;
/// search — every file with a hit is still named, and every query-matching hit line (reported separately).
/// </summary>
internal static class Retention
{
    public static (int MustKeep, int Kept) Measure(EvalSample sample, string output)
    {
        return sample.Label switch
        {
            ContentType.Log => Logs(sample.Text, output),
            ContentType.Json => Json(sample.Text, sample.Query, output),
            ContentType.Diff => Diff(sample.Text, output),
            ContentType.Search => SearchFiles(sample.Text, output),
            _ => (0, 0),
        };
    }

    private static (int, int) Logs(string input, string output)
    {
        var outLines = new HashSet<string>(output.Split('\n'), StringComparer.Ordinal);
        var distinct = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var line in input.Split('\n'))
        {
            if (!LogLinePatterns.Error().IsMatch(line))
            {
                continue;
            }

            var key = TemplateMiner.Mask(line);
            var present = outLines.Contains(line) || output.Contains(line, StringComparison.Ordinal);
            distinct[key] = distinct.GetValueOrDefault(key) || present;
        }

        return (distinct.Count, distinct.Count(d => d.Value));
    }

    private static (int, int) Json(string input, string? query, string output)
    {
        using var doc = JsonDocument.Parse(input);
        var words = JsonItemSelector.QueryWords(query);
        int must = 0, kept = 0;
        var root = JsonTreeParser.Parse(input);
        Visit(root, 0);
        return (must, kept);

        void Visit(JsonNode node, int depth)
        {
            if (depth > 6)
            {
                return;
            }

            if (node.Kind == JsonKind.Array && node.Children.Count > 0)
            {
                foreach (var item in node.Children)
                {
                    var raw = input.AsSpan(item.Start, item.End - item.Start);
                    var matters = JsonItemSelector.IsErrorItem(input, item, raw) || (words.Length > 0 && JsonItemSelector.MatchesQuery(raw, query!, words));
                    if (matters)
                    {
                        must++;
                        var leaves = item.Kind == JsonKind.Object
                            ? item.Children.Where(c => c.Kind is not (JsonKind.Object or JsonKind.Array)).Select(c => input[c.Start..c.End])
                            : [input[item.Start..item.End]];
                        kept += leaves.All(l => output.Contains(l, StringComparison.Ordinal)) ? 1 : 0;
                    }
                }
            }

            foreach (var child in node.Children)
            {
                Visit(child, depth + 1);
            }
        }
    }

    private static (int, int) Diff(string input, string output)
    {
        var outLines = new HashSet<string>(output.Split('\n'), StringComparer.Ordinal);
        var changed = input.Split('\n').Where(l => l.Length > 0 && l[0] is '+' or '-' && !l.StartsWith("+++ ", StringComparison.Ordinal) && !l.StartsWith("--- ", StringComparison.Ordinal)).ToList();
        return (changed.Count, changed.Count(outLines.Contains));
    }

    private static (int, int) SearchFiles(string input, string output)
    {
        var files = input.Split('\n').Select(l => LinePatterns.SearchHit().Match(l)).Where(m => m.Success).Select(m => m.Groups["path"].Value).Distinct(StringComparer.Ordinal).ToList();
        return (files.Count, files.Count(f => output.Contains(f, StringComparison.Ordinal)));
    }

    /// <summary>Search: share of query-matching hit lines kept verbatim (reported next to file coverage).</summary>
    public static (int MustKeep, int Kept) SearchHits(string input, string? query, string output)
    {
        if (string.IsNullOrEmpty(query))
        {
            return (0, 0);
        }

        var hits = input.Split('\n').Where(l => LinePatterns.SearchHit().IsMatch(l) && l.Contains(query, StringComparison.OrdinalIgnoreCase)).ToList();
        return (hits.Count, hits.Count(h => output.Contains(h, StringComparison.Ordinal)));
    }
}
