using System.Globalization;
using System.Text.RegularExpressions;

namespace Headroom.Compressors.Tests.Diff;

/// <summary>
/// An independent reading of a unified diff: every +/- body line of every hunk, found by counting
/// the lines each <c>@@ -a,b +c,d @@</c> header announces (so a removed "--- x" line is still a
/// body line). Shares no code with the diff compressor; used to grade what it kept.
/// </summary>
internal static partial class ChangedLineOracle
{
    /// <summary>Changed lines per file, in order, as written in the diff (prefix included).</summary>
    public static Dictionary<string, List<string>> ChangedLines(string diff)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var lines = diff.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? file = null;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("diff --git ", StringComparison.Ordinal))
            {
                file = FileOf(lines[i]);
                result.TryAdd(file, []);
                continue;
            }

            var m = HunkHeader().Match(lines[i]);
            if (!m.Success || file is null)
            {
                continue;
            }

            var oldLeft = m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 1;
            var newLeft = m.Groups[4].Success ? int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture) : 1;
            while ((oldLeft > 0 || newLeft > 0) && i + 1 < lines.Length)
            {
                var line = lines[++i];
                var c = line.Length == 0 ? ' ' : line[0];
                switch (c)
                {
                    case '-':
                        oldLeft--;
                        result[file].Add(line);
                        break;
                    case '+':
                        newLeft--;
                        result[file].Add(line);
                        break;
                    case '\\':
                        break;
                    default:
                        oldLeft--;
                        newLeft--;
                        break;
                }
            }
        }

        return result;
    }

    /// <summary>The output split into file sections (by its <c>diff --git</c> lines), each as a
    /// multiset of its lines.</summary>
    public static Dictionary<string, Dictionary<string, int>> OutputSections(string output)
    {
        var sections = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        Dictionary<string, int>? current = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                var name = FileOf(line);
                if (!sections.TryGetValue(name, out current))
                {
                    current = new Dictionary<string, int>(StringComparer.Ordinal);
                    sections[name] = current;
                }
            }

            current?.TryAdd(line, 0);
            if (current is not null)
            {
                current[line]++;
            }
        }

        return sections;
    }

    /// <summary>Markers of the headroom form in a piece of text (own pattern, not the library's parser).</summary>
    public static IEnumerable<string> Markers(string text) => MarkerPattern().Matches(text).Select(m => m.Value);

    private static string FileOf(string diffGitLine)
    {
        var b = diffGitLine.LastIndexOf(" b/", StringComparison.Ordinal);
        var rest = b > 0 ? diffGitLine[(b + 3)..] : diffGitLine["diff --git ".Length..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? rest[..space] : rest;
    }

    [GeneratedRegex(@"^@@ -([0-9]+)(?:,([0-9]+))? \+([0-9]+)(?:,([0-9]+))? @@")]
    private static partial Regex HunkHeader();

    [GeneratedRegex(@"\[headroom: [0-9,]+ of [0-9,]+ (?:lines|items) omitted[^\]\n]*hash=[0-9a-f]{24}\]")]
    private static partial Regex MarkerPattern();
}
