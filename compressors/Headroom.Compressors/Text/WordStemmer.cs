namespace Headroom.Compressors.Text;

/// <summary>Lower-cases and strips common English inflections so "crises" meets "crisis" and "ruled" meets "rule".</summary>
internal static class WordStemmer
{
    public static string Stem(ReadOnlySpan<char> word)
    {
        Span<char> lower = word.Length <= 64 ? stackalloc char[64] : new char[word.Length];
        var length = word.ToLowerInvariant(lower);
        Span<char> into = word.Length <= 64 ? stackalloc char[64] : new char[word.Length];
        return StemLower(lower[..length], into).ToString();
    }

    /// <summary>
    /// <see cref="Stem"/> of a word already in lower case, without allocating: a slice of <paramref name="lower"/>, or of
    /// <paramref name="into"/> (at least as long) when the stem is not one ("parties" → "party"). Scoring every word of a
    /// 500 KB log against a query stems tens of thousands of words.
    /// </summary>
    public static ReadOnlySpan<char> StemLower(ReadOnlySpan<char> lower, Span<char> into)
    {
        var w = lower;
        if (w.EndsWith("'s", StringComparison.Ordinal))
        {
            w = w[..^2];
        }

        if (w.Length > 4 && w.EndsWith("ies", StringComparison.Ordinal))
        {
            w[..^3].CopyTo(into);
            into[w.Length - 3] = 'y';
            return into[..(w.Length - 2)];
        }

        if (w.Length > 5 && w.EndsWith("ing", StringComparison.Ordinal))
        {
            return w[..^3];
        }

        if (w.Length > 4 && w.EndsWith("ed", StringComparison.Ordinal))
        {
            return w[..^2];
        }

        if (w.Length > 4 && w.EndsWith("es", StringComparison.Ordinal) && !w.EndsWith("ses", StringComparison.Ordinal))
        {
            return w[..^2];
        }

        if (w.Length > 3 && w[^1] == 's' && w[^2] != 's' && w[^2] != 'u' && w[^2] != 'i')
        {
            return w[..^1];
        }

        return w;
    }

    /// <summary>Calls <paramref name="onWord"/> for each word (letter/digit run, inner apostrophes and hyphens split) of the range.</summary>
    public static void ForEachWord(string text, int start, int end, Action<int, int> onWord)
    {
        int i = start;
        while (i < end)
        {
            if (!char.IsLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            int s = i;
            while (i < end && (char.IsLetterOrDigit(text[i]) || (text[i] == '\'' && i + 1 < end && char.IsLetter(text[i + 1]) && i + 2 <= end)))
            {
                i++;
            }

            onWord(s, i);
        }
    }
}
