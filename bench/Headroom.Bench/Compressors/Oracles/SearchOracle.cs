using System.Text.RegularExpressions;

namespace Headroom.Bench.Compressors.Oracles;

/// <summary>
/// grep / git grep -n output (<c>path:line:text</c>): every file with a hit must still be named
/// in the output; files not named count as lost without notice when there is no omission marker.
/// Query-matching hit lines kept verbatim are reported alongside.
/// </summary>
internal static partial class SearchOracle
{
    public const string Description = "search = every file with a hit still named in the output (or a marker)";

    public static (Retained Files, int LostWithoutMarker, Retained QueryLines) Measure(string input, string? query, string output, List<string>? lost = null)
    {
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int linesMust = 0, linesKept = 0;
        var outLines = new HashSet<string>(output.Split('\n'), StringComparer.Ordinal);
        foreach (var line in input.Split('\n'))
        {
            var m = Hit().Match(line);
            if (!m.Success)
            {
                continue;
            }

            if (seen.Add(m.Groups["path"].Value))
            {
                files.Add(m.Groups["path"].Value);
            }

            if (!string.IsNullOrEmpty(query) && m.Groups["text"].Value.Contains(query, StringComparison.OrdinalIgnoreCase))
            {
                linesMust++;
                linesKept += outLines.Contains(line) ? 1 : 0;
            }
        }

        var named = files.Count(f => output.Contains(f, StringComparison.Ordinal));
        foreach (var f in files.Where(f => !output.Contains(f, StringComparison.Ordinal)))
        {
            lost?.Add("file: " + f);
        }

        return (new Retained(files.Count, named), MarkerText.Present(output) ? 0 : files.Count - named, new Retained(linesMust, linesKept));
    }

    [GeneratedRegex(@"^(?<path>[^\s:][^:]*?):(?<line>[0-9]+)[:-](?<text>.*)$")]
    private static partial Regex Hit();
}
