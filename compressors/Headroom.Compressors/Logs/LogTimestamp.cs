namespace Headroom.Compressors.Logs;

/// <summary>The timestamp a log line starts with: its leading tokens while they are dates, times,
/// epoch-like numbers or month/weekday names (brackets allowed), up to four, when one holds a time.</summary>
internal static class LogTimestamp
{
    private static readonly System.Buffers.SearchValues<char> StampChars = System.Buffers.SearchValues.Create("0123456789-:.,/TZ+[]");
    private static readonly string[] Names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    public static ReadOnlySpan<char> Leading(ReadOnlySpan<char> line)
    {
        var end = 0;
        var hasTime = false;
        var i = 0;
        for (var count = 0; count < 4 && i < line.Length; count++)
        {
            while (i < line.Length && line[i] == ' ')
            {
                i++;
            }

            var s = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            var token = line[s..i];
            if (token.IsEmpty)
            {
                break;
            }

            var digits = token.ContainsAnyInRange('0', '9') && !token.ContainsAnyExcept(StampChars);
            if (!digits && !IsDateName(token.Trim("[]")))
            {
                break;
            }

            hasTime |= digits && token.Contains(':');
            end = i;
        }

        return hasTime ? line[..end].TrimStart() : [];
    }

    public static bool IsDateName(ReadOnlySpan<char> token)
    {
        if (token.Length != 3)
        {
            return false;
        }

        foreach (var name in Names)
        {
            if (token.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
