using System.Globalization;

namespace Headroom.Compressors.Text;

/// <summary>Lower-cases and strips common English inflections so "crises" meets "crisis" and "ruled" meets "rule".</summary>
internal static class WordStemmer
{
    public static string Stem(ReadOnlySpan<char> word)
    {
        string w = word.ToString().ToLower(CultureInfo.InvariantCulture);
        if (w.EndsWith("'s", StringComparison.Ordinal))
        {
            w = w[..^2];
        }

        if (w.Length > 4 && w.EndsWith("ies", StringComparison.Ordinal))
        {
            return w[..^3] + "y";
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
