namespace Headroom.Compressors.Logs;

/// <summary>
/// A line split on whitespace and '|': each token's range in the source and its masked form for
/// mining (<see cref="TemplateMiner.MaskToken"/>: digit runs, timestamps and long hex ids masked).
/// </summary>
internal readonly struct LineTokens
{
    private LineTokens((int Start, int End)[] ranges, string[] masked)
    {
        Ranges = ranges;
        Masked = masked;
    }

    public (int Start, int End)[] Ranges { get; }

    public string[] Masked { get; }

    /// <param name="pool">Token strings already made for this input, looked up by their characters,
    /// so a token repeated on every line is one string (a megabyte of log is mostly repeats).</param>
    public static LineTokens Of(string source, int start, int end, Dictionary<string, string>? pool = null)
    {
        var ranges = new List<(int, int)>(16);
        var i = start;
        while (i < end)
        {
            while (i < end && IsSeparator(source[i]))
            {
                i++;
            }

            var s = i;
            while (i < end && !IsSeparator(source[i]))
            {
                i++;
            }

            if (i > s)
            {
                ranges.Add((s, i));
            }
        }

        var masked = new string[ranges.Count];
        for (var t = 0; t < masked.Length; t++)
        {
            var token = source.AsSpan(ranges[t].Item1, ranges[t].Item2 - ranges[t].Item1);
            masked[t] = pool is not null && !token.ContainsAnyInRange('0', '9') ? Pooled(pool, token) : TemplateMiner.MaskToken(token);
        }

        return new LineTokens([.. ranges], masked);
    }

    private static string Pooled(Dictionary<string, string> pool, ReadOnlySpan<char> token)
    {
        var lookup = pool.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(token, out var s))
        {
            s = token.ToString();
            lookup[token] = s;
        }

        return s;
    }

    private static bool IsSeparator(char c) => c == '|' || char.IsWhiteSpace(c);
}
