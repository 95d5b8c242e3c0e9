using System.Text;
using Headroom.Compressors.Tokens;

namespace Headroom.Compressors.Text;

/// <summary>
/// Thins a low-relevance sentence by information: a word whose " word" is a single, very frequent
/// o200k token (low BPE rank ≈ high frequency ≈ little information) is dropped. Numbers,
/// identifiers, paths, negations, capitalised words, query words and the last word always stay.
/// </summary>
internal static class SentenceThinner
{
    private static readonly HashSet<string> Negations = new(StringComparer.OrdinalIgnoreCase)
    {
        "not", "no", "never", "without", "cannot", "nor", "none", "neither", "nothing", "nobody", "nowhere",
    };

    public static string Thin(string text, Sentence sentence, QueryTerms query, int frequentRank)
    {
        var tokenizer = O200kTokenizer.Instance;
        var sb = new StringBuilder(sentence.End - sentence.Start);
        int i = sentence.Start;
        Span<char> probe = stackalloc char[33];
        while (i < sentence.End)
        {
            while (i < sentence.End && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            int start = i;
            while (i < sentence.End && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (start == i)
            {
                break;
            }

            var chunk = text.AsSpan(start, i - start);
            bool last = i >= sentence.End;
            if (!last && Droppable(chunk, query, tokenizer, frequentRank, probe))
            {
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(chunk);
        }

        return sb.ToString();
    }

    private static bool Droppable(ReadOnlySpan<char> chunk, QueryTerms query, O200kTokenizer tokenizer, int frequentRank, Span<char> probe)
    {
        // Only plain lower-case words (optionally with trailing , ;) are candidates.
        var core = chunk.TrimEnd(",;");
        if (core.Length == 0 || core.Length > 32 || core.Length != chunk.Length && chunk[^1] is not (',' or ';'))
        {
            return false;
        }

        foreach (char c in core)
        {
            if (!char.IsLower(c))
            {
                return false; // digits, capitals, punctuation, paths, identifiers, apostrophes (n't)
            }
        }

        string word = core.ToString();
        if (Negations.Contains(word) || query.Contains(word) || query.Contains(WordStemmer.Stem(word)))
        {
            return false;
        }

        probe[0] = ' ';
        core.CopyTo(probe[1..]);
        var ids = tokenizer.Encode(probe[..(core.Length + 1)]);
        return ids.Length == 1 && ids[0] < frequentRank;
    }
}
