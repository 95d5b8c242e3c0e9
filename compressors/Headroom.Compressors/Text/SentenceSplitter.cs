namespace Headroom.Compressors.Text;

/// <summary>
/// Rule-based sentence segmentation: ends at . ! ? (plus closing quotes/brackets) before whitespace
/// and a capital, digit or quote, except after abbreviations, initials and inside numbers; blank
/// lines end paragraphs; a line break ends a sentence when the next line is a list item or heading
/// or the line ends in a colon (hard-wrapped lines inside a paragraph are joined).
/// </summary>
internal static class SentenceSplitter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "inc", "ltd", "co",
        "corp", "no", "fig", "al", "approx", "dept", "est", "gen", "gov", "lt", "col", "sgt", "capt", "rev", "mt",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ca", "cf", "vol", "pp",
    };

    public static List<Sentence> Split(string text)
    {
        var result = new List<Sentence>(text.Length / 100 + 1);
        int paragraph = 0;
        int indexInParagraph = 0;
        int line = 0;
        int start = SkipWhitespace(text, 0, ref line, out _);
        int startLine = line;
        int i = start;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\n')
            {
                // Blank line: paragraph ends. Single break: sentence ends only before list items/headings or after ':'.
                int j = i + 1;
                int lines = 1;
                while (j < text.Length && char.IsWhiteSpace(text[j]))
                {
                    if (text[j] == '\n')
                    {
                        lines++;
                    }

                    j++;
                }

                bool blank = lines > 1;
                bool hard = blank || j >= text.Length || StartsBlock(text, j) || EndsWithColon(text, start, i) || LooksLikeLine(text, start, i);
                if (hard)
                {
                    Add(result, text, start, i, paragraph, ref indexInParagraph, startLine);
                    line += lines;
                    if (blank)
                    {
                        paragraph++;
                        indexInParagraph = 0;
                    }

                    start = j;
                    startLine = line;
                    i = j;
                    continue;
                }

                line += lines;
                i = j;
                continue;
            }

            if (c is '.' or '!' or '?' && IsSentenceEnd(text, i, start, out int after))
            {
                Add(result, text, start, after, paragraph, ref indexInParagraph, startLine);
                int tmpLine = line;
                int next = SkipWhitespace(text, after, ref tmpLine, out int breaks);
                if (breaks > 1)
                {
                    paragraph++;
                    indexInParagraph = 0;
                }

                line = tmpLine;
                start = next;
                startLine = line;
                i = next;
                continue;
            }

            i++;
        }

        Add(result, text, start, text.Length, paragraph, ref indexInParagraph, startLine);
        return result;
    }

    private static void Add(List<Sentence> into, string text, int start, int end, int paragraph, ref int indexInParagraph, int line)
    {
        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (end > start)
        {
            into.Add(new Sentence(start, end, paragraph, indexInParagraph++, line));
        }
    }

    private static int SkipWhitespace(string text, int i, ref int line, out int breaks)
    {
        breaks = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            if (text[i] == '\n')
            {
                line++;
                breaks++;
            }

            i++;
        }

        return i;
    }

    private static bool IsSentenceEnd(string text, int i, int sentenceStart, out int after)
    {
        after = i + 1;
        while (after < text.Length && text[after] is '.' or '!' or '?')
        {
            after++;
        }

        while (after < text.Length && text[after] is '"' or '\'' or ')' or ']' or '\u201D' or '\u2019' or '»')
        {
            after++;
        }

        if (after >= text.Length)
        {
            return true;
        }

        if (!char.IsWhiteSpace(text[after]))
        {
            return false; // 3.14, e.g, example.com, path/to.file
        }

        int n = after;
        while (n < text.Length && text[n] is ' ' or '\t')
        {
            n++;
        }

        if (n < text.Length && text[n] is not '\n' and not '\r')
        {
            char next = text[n];
            if (!(char.IsUpper(next) || char.IsDigit(next) || next is '"' or '\'' or '(' or '[' or '\u201C' or '\u2018' or '«' || !char.IsLetter(next) && !char.IsPunctuation(next)))
            {
                return false;
            }
        }

        if (text[i] != '.')
        {
            return true;
        }

        // The word before the period: abbreviation or initial?
        int w = i;
        while (w > sentenceStart && !char.IsWhiteSpace(text[w - 1]) && text[w - 1] is not '(' and not '"')
        {
            w--;
        }

        var word = text.AsSpan(w, i - w);
        if (word.Length == 1 && char.IsUpper(word[0]))
        {
            return false;
        }

        return !Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);
    }

    private static bool StartsBlock(string text, int j)
    {
        char c = text[j];
        if (c is '-' or '*' or '•' or '#' or '>' or '|')
        {
            return true;
        }

        int k = j;
        while (k < text.Length && char.IsDigit(text[k]))
        {
            k++;
        }

        return k > j && k < text.Length && text[k] is '.' or ')';
    }

    private static bool EndsWithColon(string text, int start, int end)
    {
        int e = end;
        while (e > start && char.IsWhiteSpace(text[e - 1]))
        {
            e--;
        }

        return e > start && text[e - 1] == ':';
    }

    /// <summary>A line that itself is a list item or heading stands alone.</summary>
    private static bool LooksLikeLine(string text, int start, int end)
    {
        int lineStart = text.LastIndexOf('\n', Math.Max(start, end - 1));
        lineStart = lineStart < start ? start : lineStart + 1;
        return lineStart < end && StartsBlock(text, lineStart);
    }
}
