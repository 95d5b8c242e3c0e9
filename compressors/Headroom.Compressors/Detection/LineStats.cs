using System.Text.RegularExpressions;

namespace Headroom.Compressors.Detection;

/// <summary>Counts of line shapes over a sample, for <see cref="ContentDetector"/>.</summary>
internal sealed class LineStats
{
    private readonly int[] _languageScores = new int[LanguageRules.Rules.Length];

    public int Lines { get; private set; }

    public int SearchLines { get; private set; }

    public int LogLines { get; private set; }

    public int CodeLines { get; private set; }

    public int ClosingTags { get; private set; }

    /// <summary>HTML tags per char of sample.</summary>
    public double TagDensity { get; private set; }

    public static LineStats Measure(ReadOnlySpan<char> sample, int maxLines)
    {
        var stats = new LineStats();
        var tags = 0;
        var chars = 0;
        foreach (var range in sample.Split('\n'))
        {
            var line = sample[range].TrimEnd('\r');
            if (line.IsWhiteSpace())
            {
                continue;
            }

            if (stats.Lines >= maxLines)
            {
                break;
            }

            stats.Lines++;
            chars += line.Length;
            var s = line.Length > 400 ? line[..400].ToString() : line.ToString();
            if (LinePatterns.SearchHit().IsMatch(s) || line.SequenceEqual("--"))
            {
                stats.SearchLines++;
            }

            if (LinePatterns.LogPrefix().IsMatch(s) || LinePatterns.BuildLine().IsMatch(s))
            {
                stats.LogLines++;
            }

            if (LanguageRules.CodeLine().IsMatch(s))
            {
                stats.CodeLines++;
            }

            for (var i = 0; i < LanguageRules.Rules.Length; i++)
            {
                if (LanguageRules.Rules[i].Pattern.IsMatch(s))
                {
                    stats._languageScores[i] += LanguageRules.Rules[i].Weight;
                }
            }

            tags += CountTags(line, out var closing);
            stats.ClosingTags += closing;
        }

        stats.TagDensity = chars == 0 ? 0 : (double)tags / chars;
        return stats;
    }

    /// <summary>
    /// Counts over three windows of a long text: its head, its middle and its tail (each starting at a line),
    /// so a long licence header, module docstring or data table at the top does not decide alone.
    /// </summary>
    public static LineStats MeasureSpread(ReadOnlySpan<char> text, int maxChars, int maxLines)
    {
        if (text.Length <= maxChars && text.Count('\n') < maxLines)
        {
            return Measure(text, maxLines);
        }

        int headChars = Math.Min(text.Length, maxChars / 2);
        int quarter = maxChars / 4;
        var head = Measure(text[..headChars], maxLines / 2);
        var middle = Measure(FromLineStart(text, (text.Length / 2) - (quarter / 2), quarter), maxLines / 4);
        var tail = Measure(FromLineStart(text, text.Length - quarter, quarter), maxLines / 4);
        var all = new LineStats
        {
            Lines = head.Lines + middle.Lines + tail.Lines,
            SearchLines = head.SearchLines + middle.SearchLines + tail.SearchLines,
            LogLines = head.LogLines + middle.LogLines + tail.LogLines,
            CodeLines = head.CodeLines + middle.CodeLines + tail.CodeLines,
            ClosingTags = head.ClosingTags + middle.ClosingTags + tail.ClosingTags,
            TagDensity = (head.TagDensity + middle.TagDensity + tail.TagDensity) / 3,
        };
        for (var i = 0; i < all._languageScores.Length; i++)
        {
            all._languageScores[i] = head._languageScores[i] + middle._languageScores[i] + tail._languageScores[i];
        }

        return all;
    }

    private static ReadOnlySpan<char> FromLineStart(ReadOnlySpan<char> text, int from, int length)
    {
        from = Math.Clamp(from, 0, text.Length);
        int newline = text[from..].IndexOf('\n');
        int start = from == 0 || newline < 0 ? from : from + newline + 1;
        return text.Slice(start, Math.Min(length, text.Length - start));
    }

    public (string? Language, int Score) BestLanguage()
    {
        var best = -1;
        for (var i = 0; i < _languageScores.Length; i++)
        {
            if (_languageScores[i] > 0 && (best < 0 || _languageScores[i] > _languageScores[best]))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            return (null, 0);
        }

        var language = LanguageRules.Rules[best].Language;
        var score = _languageScores[best];

        // TypeScript is a superset of JavaScript: call it TypeScript only when typed syntax shows.
        var js = Array.FindIndex(LanguageRules.Rules, r => r.Language == "javascript");
        var ts = Array.FindIndex(LanguageRules.Rules, r => r.Language == "typescript");
        if (language == "javascript" && _languageScores[ts] >= 6)
        {
            language = "typescript";
        }

        // C++ sources also match C rules: prefer cpp when C++-only syntax appears.
        var cpp = Array.FindIndex(LanguageRules.Rules, r => r.Language == "cpp");
        if (language == "c" && _languageScores[cpp] >= 6)
        {
            language = "cpp";
        }

        return (language, score + (language == "typescript" ? _languageScores[js] : 0));
    }

    // "<tag" and "</tag" occurrences with a letter after the bracket.
    private static int CountTags(ReadOnlySpan<char> line, out int closing)
    {
        var count = 0;
        closing = 0;
        for (var i = line.IndexOf('<'); i >= 0 && i + 1 < line.Length; )
        {
            var next = line[i + 1];
            if (char.IsAsciiLetter(next) || next == '!')
            {
                count++;
            }
            else if (next == '/' && i + 2 < line.Length && char.IsAsciiLetter(line[i + 2]))
            {
                count++;
                closing++;
            }

            var rest = line[(i + 1)..].IndexOf('<');
            i = rest < 0 ? -1 : i + 1 + rest;
        }

        return count;
    }
}
