namespace Headroom.Gateway.Caching;

/// <summary>Names the span that differs between two texts: common prefix and suffix removed, widened to whole tokens.</summary>
internal static class ChangedSpan
{
    private const int MaxShown = 80;

    public static string Describe(string before, string after)
    {
        var (start, oldEnd, newEnd) = Locate(before, after);
        return $"@{start}: \"{Clip(before[start..oldEnd])}\" → \"{Clip(after[start..newEnd])}\"";
    }

    /// <summary>Start of the change and its end in each text.</summary>
    public static (int Start, int OldEnd, int NewEnd) Locate(string before, string after)
    {
        var p = 0;
        var max = Math.Min(before.Length, after.Length);
        while (p < max && before[p] == after[p])
        {
            p++;
        }

        var s = 0;
        while (s < max - p && before[before.Length - 1 - s] == after[after.Length - 1 - s])
        {
            s++;
        }

        int oldEnd = before.Length - s, newEnd = after.Length - s;

        // Widen to whole tokens (a date, an id), so "1" → "2" reads "2026-11-21" → "2026-11-22".
        while (p > 0 && IsTokenChar(before[p - 1]))
        {
            p--;
        }

        while (oldEnd < before.Length && newEnd < after.Length && IsTokenChar(before[oldEnd]) && before[oldEnd] == after[newEnd])
        {
            oldEnd++;
            newEnd++;
        }

        return (p, oldEnd, newEnd);
    }

    private static bool IsTokenChar(char c) => char.IsLetterOrDigit(c) || c is '-' or ':' or '_';

    private static string Clip(string s) => s.Length <= MaxShown ? s : s[..(MaxShown / 2)] + "…" + s[^(MaxShown / 2)..];
}
