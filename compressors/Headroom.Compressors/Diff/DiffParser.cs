using System.Globalization;
using System.Text.RegularExpressions;
using Headroom.Compressors.Logs;

namespace Headroom.Compressors.Diff;

/// <summary>Splits a unified diff (git diff / git show / diff -u) into its preamble, files and hunks.</summary>
internal static partial class DiffParser
{
    /// <summary>The files of the diff; <paramref name="preambleEnd"/> is the first line of the first file.</summary>
    public static List<DiffFile> Parse(string input, LogLines lines, out int preambleEnd)
    {
        string L(int i) => input.Substring(lines[i].Start, lines[i].End - lines[i].Start);
        var files = new List<DiffFile>();
        DiffFile? file = null;
        DiffHunk? hunk = null;
        preambleEnd = lines.Count;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = L(i);
            if (line.StartsWith("diff --git ", StringComparison.Ordinal) || (line.StartsWith("--- ", StringComparison.Ordinal) && i + 1 < lines.Count
                && L(i + 1).StartsWith("+++ ", StringComparison.Ordinal) && (file is null || hunk is not null)))
            {
                if (line.StartsWith("--- ", StringComparison.Ordinal) && file is not null && file.Hunks.Count == 0 && file.FirstLine == i - 1)
                {
                    file.LastLine = i;
                    continue;
                }

                file = new DiffFile(PathOf(line, i + 1 < lines.Count ? L(i + 1) : ""), i);
                files.Add(file);
                hunk = null;
                preambleEnd = Math.Min(preambleEnd, i);
                continue;
            }

            if (file is null)
            {
                continue;
            }

            file.LastLine = i;
            var m = HunkHeader().Match(line);
            if (m.Success)
            {
                hunk = new DiffHunk(i, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value);
                file.Hunks.Add(hunk);
                continue;
            }

            if (hunk is not null && line.Length > 0 && line[0] is '+' or '-' or ' ' or '\\')
            {
                hunk.LastLine = i;
                if (line[0] is '+' or '-')
                {
                    hunk.Changed++;
                }
            }
            else if (hunk is not null && line.Length == 0)
            {
                hunk.LastLine = i; // an empty context line some tools write without the space
            }
            else if (line.StartsWith("Binary files ", StringComparison.Ordinal) || line.StartsWith("GIT binary patch", StringComparison.Ordinal))
            {
                file.Binary = true;
            }
            else if (hunk is not null)
            {
                // Text after a hunk that is not diff syntax (e.g. the next commit's header).
                hunk = null;
            }
        }

        return files;
    }

    /// <summary>'+', '-', '\\' or ' ' (context, also for an empty line).</summary>
    public static char Kind(string input, LogLines lines, int i) => lines[i].End > lines[i].Start ? input[lines[i].Start] : ' ';

    public static int CountPrefix(string input, LogLines lines, DiffHunk h, char prefix)
    {
        var n = 0;
        for (var i = h.HeaderLine + 1; i <= h.LastLine; i++)
        {
            n += Kind(input, lines, i) == prefix ? 1 : 0;
        }

        return n;
    }

    private static string PathOf(string line, string next)
    {
        if (line.StartsWith("diff --git ", StringComparison.Ordinal))
        {
            var b = line.LastIndexOf(" b/", StringComparison.Ordinal);
            return b > 0 ? line[(b + 3)..] : line["diff --git ".Length..];
        }

        var plus = next.StartsWith("+++ ", StringComparison.Ordinal) ? next[4..] : line[4..];
        var tab = plus.IndexOf('\t', StringComparison.Ordinal);
        plus = tab > 0 ? plus[..tab] : plus;
        return plus.StartsWith("b/", StringComparison.Ordinal) ? plus[2..] : plus;
    }

    [GeneratedRegex(@"^@@ -([0-9]+)(?:,[0-9]+)? \+([0-9]+)(?:,[0-9]+)? @@(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex HunkHeader();
}
