namespace Headroom.Bench.Compressors.Oracles;

/// <summary>
/// Diffs: every added or removed line (a line starting with '+' or '-' that is not a
/// <c>+++ </c>/<c>--- </c> file header) must be in the output verbatim; the rest count as lost,
/// and as lost without notice when the output carries no omission marker at all.
/// </summary>
internal static class DiffOracle
{
    public const string Description = "diff = every +/- line (not +++/--- headers) verbatim in the output";

    public static (Retained Changed, int LostWithoutMarker) Measure(string input, string output, List<string>? lost = null)
    {
        var outLines = new HashSet<string>(output.Split('\n').Select(l => l.TrimEnd('\r')), StringComparer.Ordinal);
        var hasMarker = MarkerText.Present(output);
        int must = 0, kept = 0;
        foreach (var raw in input.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] is not ('+' or '-') || line.StartsWith("+++ ", StringComparison.Ordinal) || line.StartsWith("--- ", StringComparison.Ordinal))
            {
                continue;
            }

            must++;
            if (outLines.Contains(line))
            {
                kept++;
            }
            else
            {
                lost?.Add("changed line: " + line);
            }
        }

        return (new Retained(must, kept), hasMarker ? 0 : must - kept);
    }
}
