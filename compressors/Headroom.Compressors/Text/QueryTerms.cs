using System.Globalization;

namespace Headroom.Compressors.Text;

/// <summary>
/// The content words of a query (the agent's latest message): lower-cased, stop words and very
/// short words removed, identifiers also split at camelCase/snake_case boundaries. Ordinal and
/// sorted, so everything derived from it is deterministic.
/// </summary>
internal sealed class QueryTerms
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does", "for", "from",
        "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "our",
        "please", "should", "so", "than", "that", "the", "their", "them", "then", "there", "these", "this", "those", "to",
        "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would",
        "you", "your", "about", "after", "all", "also", "any", "before", "between", "both", "each", "few", "more", "most",
        "other", "some", "such", "only", "own", "same", "too", "very", "just", "not", "no", "nor", "up", "down", "out",
        "over", "under", "again", "further", "once", "here", "get", "got", "make", "made", "use", "used", "using", "file",
        "code", "show", "tell", "find", "look", "see", "fix", "explain", "many", "much", "one", "two", "new", "like",
    };

    public static QueryTerms Empty { get; } = new([], []);

    private QueryTerms(string[] words, string[] identifiers)
    {
        Words = words;
        Identifiers = identifiers;
    }

    /// <summary>Content words, lower case, sorted, distinct.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>Code-looking tokens as written (camelCase, snake_case, dotted, with digits), sorted, distinct.</summary>
    public IReadOnlyList<string> Identifiers { get; }

    public bool IsEmpty => Words.Count == 0;

    public static QueryTerms Parse(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return Empty;
        }

        var words = new SortedSet<string>(StringComparer.Ordinal);
        var identifiers = new SortedSet<string>(StringComparer.Ordinal);
        int i = 0;
        while (i < query.Length)
        {
            if (!IsWordChar(query[i]))
            {
                i++;
                continue;
            }

            int start = i;
            while (i < query.Length && (IsWordChar(query[i]) || (query[i] == '.' && i + 1 < query.Length && IsWordChar(query[i + 1]))))
            {
                i++;
            }

            string token = query[start..i];
            if (LooksLikeIdentifier(token))
            {
                identifiers.Add(token);
            }

            foreach (var part in SplitIdentifier(token))
            {
                string w = part.ToLower(CultureInfo.InvariantCulture);
                if (w.Length >= 3 && !StopWords.Contains(w))
                {
                    words.Add(w);
                }
            }

            string whole = token.ToLower(CultureInfo.InvariantCulture);
            if (whole.Length >= 3 && !StopWords.Contains(whole) && !whole.Contains('.', StringComparison.Ordinal))
            {
                words.Add(whole);
            }
        }

        return new QueryTerms([.. words], [.. identifiers]);
    }

    /// <summary>camelCase, PascalCase with an inner capital, snake_case, dotted or digit-bearing tokens.</summary>
    public static bool LooksLikeIdentifier(ReadOnlySpan<char> token)
    {
        if (token.Length < 3)
        {
            return false;
        }

        bool lowerSeen = false;
        for (int i = 0; i < token.Length; i++)
        {
            char c = token[i];
            if (c is '_' or '.' || (char.IsDigit(c) && i > 0))
            {
                return true;
            }

            if (char.IsUpper(c) && i > 0 && lowerSeen)
            {
                return true;
            }

            lowerSeen |= char.IsLower(c);
        }

        return false;
    }

    /// <summary>Parts of an identifier at '_', '.', and lower→upper boundaries ("parseHttpHeader" → parse, Http, Header).</summary>
    public static IEnumerable<string> SplitIdentifier(string token)
    {
        int start = 0;
        for (int i = 1; i <= token.Length; i++)
        {
            bool boundary = i == token.Length
                || token[i] is '_' or '.'
                || (char.IsUpper(token[i]) && char.IsLower(token[i - 1]));
            if (!boundary)
            {
                continue;
            }

            int s = start;
            while (s < i && token[s] is '_' or '.')
            {
                s++;
            }

            if (i > s)
            {
                yield return token[s..i];
            }

            start = i;
        }
    }

    /// <summary>True when a declaration name matches the query: the whole name or one of its parts equals a query word.</summary>
    public bool MatchesName(string name)
    {
        if (IsEmpty || name.Length == 0)
        {
            return false;
        }

        if (Contains(name.ToLower(CultureInfo.InvariantCulture)))
        {
            return true;
        }

        foreach (var part in SplitIdentifier(name))
        {
            if (part.Length >= 4 && Contains(part.ToLower(CultureInfo.InvariantCulture)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="text"/> contains one of the query's identifiers as a whole word.</summary>
    public bool MatchesText(ReadOnlySpan<char> text)
    {
        foreach (var id in Identifiers)
        {
            int from = 0;
            while (from < text.Length)
            {
                int hit = text[from..].IndexOf(id.AsSpan(), StringComparison.Ordinal);
                if (hit < 0)
                {
                    break;
                }

                int at = from + hit;
                int end = at + id.Length;
                bool left = at == 0 || !IsWordChar(text[at - 1]);
                bool right = end >= text.Length || !IsWordChar(text[end]);
                if (left && right)
                {
                    return true;
                }

                from = at + 1;
            }
        }

        return false;
    }

    public bool Contains(string lowerWord) => ((string[])Words).AsSpan().BinarySearch(lowerWord, StringComparer.Ordinal) >= 0;

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
