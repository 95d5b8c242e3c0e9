using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Headroom.Bench.Compressors.Oracles;

/// <summary>
/// Reads a compact value list the way a shell (and an agent) would: <c>node-{3,7..9}x</c> stands for
/// node-3x node-7x node-8x node-9x, and a sequence alone, <c>node-{7..9}</c>, for node-7 node-8 node-9. Returns every expansion found in a text, space-separated, so
/// an identifier listed compactly still counts as present.
/// </summary>
internal static partial class BraceExpansion
{
    private const int MaxRange = 100_000;

    public static string Expand(string text)
    {
        var sb = new StringBuilder();
        foreach (Match m in Braced().Matches(text))
        {
            var prefix = m.Groups["prefix"].Value;
            var suffix = m.Groups["suffix"].Value;
            foreach (var item in m.Groups["items"].Value.Split(','))
            {
                var dots = item.IndexOf("..", StringComparison.Ordinal);
                if (dots > 0 && long.TryParse(item[..dots], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                    && long.TryParse(item[(dots + 2)..], NumberStyles.None, CultureInfo.InvariantCulture, out var to) && to >= from && to - from <= MaxRange)
                {
                    for (var v = from; v <= to; v++)
                    {
                        sb.Append(prefix).Append(v.ToString(CultureInfo.InvariantCulture)).Append(suffix).Append(' ');
                    }
                }
                else
                {
                    sb.Append(prefix).Append(item).Append(suffix).Append(' ');
                }
            }
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"(?<prefix>[^\s{}]*)\{(?<items>[^\s{}]*,[^\s{}]*|[0-9]+\.\.[0-9]+)\}(?<suffix>[^\s{}]*)")]
    private static partial Regex Braced();
}
