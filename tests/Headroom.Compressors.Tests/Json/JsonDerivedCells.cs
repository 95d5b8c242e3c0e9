using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Headroom.Compressors.Tests.Json;

/// <summary>
/// Reads the documented <c>"headroom:derived"</c> rules of a compressed table back, with System.Text.Json
/// only (no compressor code): <c>{"url":"checksumUrl before its last '.'"}</c> gives each row's url from
/// its checksumUrl cell. Returns every cell a rule stands for, as JSON string literals, one per line, so an
/// oracle that looks for values in the output finds the ones the table writes as a rule.
/// </summary>
internal static partial class JsonDerivedCells
{
    public static string Of(string output)
    {
        var cells = new StringBuilder();
        using var doc = JsonDocument.Parse(output);
        Walk(doc.RootElement, cells);
        return cells.ToString();
    }

    private static void Walk(JsonElement e, StringBuilder cells)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var x in e.EnumerateArray())
            {
                Walk(x, cells);
            }

            return;
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (e.TryGetProperty("headroom:derived", out var rules) && e.TryGetProperty("headroom:table", out var table) && e.TryGetProperty("rows", out var rows))
        {
            var columns = table.EnumerateArray().Select(c => c.GetString()!).ToList();
            foreach (var rule in rules.EnumerateObject())
            {
                var m = Rule().Match(rule.Value.GetString()!);
                var from = columns.IndexOf(m.Groups["column"].Value);
                if (!m.Success || from < 0)
                {
                    throw new InvalidDataException($"unreadable rule {rule.Name}: {rule.Value}");
                }

                var separator = m.Groups["separator"].Value[0];
                foreach (var row in rows.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Array))
                {
                    var full = row[from].GetString()!;
                    var at = full.LastIndexOf(separator);
                    var part = m.Groups["side"].Value == "before" ? full[..at] : full[(at + 1)..];
                    cells.Append('"').Append(part).Append("\"\n");
                }
            }
        }

        foreach (var p in e.EnumerateObject())
        {
            Walk(p.Value, cells);
        }
    }

    [GeneratedRegex(@"^(?<column>.+) (?<side>before|after) its last '(?<separator>.)'$")]
    private static partial Regex Rule();
}
