using Headroom.Compressors.Text;

namespace Headroom.Compressors.Code;

/// <summary>
/// Brace languages: over the lexer's blanked text, matches every bracket, classifies each brace
/// block at declaration level by its header (container, function body, other) and elides long
/// function bodies whose braces sit alone at the end/start of their lines. Unbalanced input → no plan.
/// </summary>
internal static class BraceSkeleton
{
    private static readonly string[] ContainerWords =
    [
        "class", "interface", "enum", "record", "namespace", "module", "struct", "union", "object", "trait",
        "extension", "protocol", "impl", "extern", "global", "mod",
    ];

    private static readonly string[] ControlWords =
    [
        "if", "else", "for", "while", "do", "switch", "try", "catch", "finally", "with", "loop", "match", "select",
    ];

    public static List<Elision>? Plan(string input, LineIndex index, CodeLanguage language, QueryTerms query, int minBodyLines)
    {
        var (blank, comments) = BraceLexer.Lex(input, language);
        var bodies = new List<(int Start, int End)>();
        var elisions = PlanBodies(input, blank, index, language, query, minBodyLines, bodies);
        if (elisions is null)
        {
            return null;
        }

        CommentTrimmer.Plan(input, index, comments, bodies, elisions);
        elisions.Sort((a, b) => a.Start.CompareTo(b.Start));
        return CSharpSkeleton.RemoveOverlaps(elisions);
    }

    private static List<Elision>? PlanBodies(string input, char[] blank, LineIndex index, CodeLanguage language, QueryTerms query, int minBodyLines, List<(int Start, int End)> bodies)
    {
        var stack = new List<(int Open, BlockKind Kind, int LastSep)> { (-1, BlockKind.Container, -1) };
        var elisions = new List<Elision>();
        for (int i = 0; i < blank.Length; i++)
        {
            char c = blank[i];
            switch (c)
            {
                case '(' or '[':
                    stack.Add((i, BlockKind.Paren, i));
                    break;
                case ')' or ']':
                    if (stack[^1].Kind != BlockKind.Paren)
                    {
                        return null;
                    }

                    stack.RemoveAt(stack.Count - 1);
                    break;
                case '{':
                {
                    var top = stack[^1];
                    BlockKind kind = top.Kind switch
                    {
                        BlockKind.Container => Classify(HeaderText(blank, top.LastSep + 1, i), language),
                        BlockKind.Paren => language is CodeLanguage.JavaScript or CodeLanguage.TypeScript ? BlockKind.Container : BlockKind.Other,
                        _ => BlockKind.Other,
                    };
                    stack.Add((i, kind, i));
                    break;
                }

                case '}':
                {
                    var frame = stack[^1];
                    if (frame.Kind == BlockKind.Paren || stack.Count == 1)
                    {
                        return null;
                    }

                    stack.RemoveAt(stack.Count - 1);
                    if (frame.Kind == BlockKind.Body)
                    {
                        bodies.Add((frame.Open, i));
                        var parent = stack[^1];
                        TryElide(input, blank, index, frame.Open, i, HeaderText(blank, parent.LastSep + 1, frame.Open), query, minBodyLines, elisions);
                    }

                    stack[^1] = stack[^1] with { LastSep = i };
                    break;
                }

                case ';' or ',':
                    if (stack[^1].Kind != BlockKind.Paren)
                    {
                        stack[^1] = stack[^1] with { LastSep = i };
                    }

                    break;
            }
        }

        return stack.Count == 1 ? elisions : null;
    }

    /// <summary>True when the blanked text's braces and brackets balance (used to check outputs).</summary>
    public static bool Balanced(char[] blank)
    {
        var stack = new Stack<char>();
        foreach (char c in blank)
        {
            switch (c)
            {
                case '(' or '[' or '{':
                    stack.Push(c);
                    break;
                case ')' or ']' or '}':
                    char want = c == ')' ? '(' : c == ']' ? '[' : '{';
                    if (stack.Count == 0 || stack.Pop() != want)
                    {
                        return false;
                    }

                    break;
            }
        }

        return stack.Count == 0;
    }

    private static void TryElide(string input, char[] blank, LineIndex index, int open, int close, string header, QueryTerms query, int minBodyLines, List<Elision> into)
    {
        int openLine = index.LineOf(open);
        int closeLine = index.LineOf(close);
        if (closeLine - openLine - 1 < minBodyLines)
        {
            return;
        }

        // '{' ends its line and '}' starts its line (in code terms: comments and strings are blank).
        for (int k = open + 1; k < index.NextStart(openLine) && k < blank.Length; k++)
        {
            if (!char.IsWhiteSpace(blank[k]))
            {
                return;
            }
        }

        for (int k = index.Start(closeLine); k < close; k++)
        {
            if (!char.IsWhiteSpace(blank[k]))
            {
                return;
            }
        }

        int start = index.Start(openLine + 1);
        int end = index.Start(closeLine);
        string name = NameOf(header);
        if (query.MatchesName(name) || query.MatchesText(input.AsSpan(start, end - start)))
        {
            return;
        }

        into.Add(new Elision(start, end, closeLine - openLine - 1, CSharpSkeleton.IndentOf(input, start, end), name.Length > 0 ? name : null, ElisionKind.Body));
    }

    /// <summary>The header's last statement: text after the last depth-0 line break, joined with continuation lines.</summary>
    private static string HeaderText(char[] blank, int from, int to)
    {
        var segments = new List<(int Start, int End)>();
        int depth = 0;
        int segStart = from;
        for (int k = from; k < to; k++)
        {
            char c = blank[k];
            if (c is '(' or '[')
            {
                depth++;
            }
            else if (c is ')' or ']')
            {
                depth--;
            }
            else if (c == '\n' && depth <= 0)
            {
                segments.Add((segStart, k));
                segStart = k + 1;
            }
        }

        segments.Add((segStart, to));
        int last = segments.Count - 1;
        while (last > 0 && IsBlank(blank, segments[last]))
        {
            last--;
        }

        int first = last;
        while (first > 0)
        {
            var cur = Trimmed(blank, segments[first]);
            int prevIdx = first - 1;
            while (prevIdx >= 0 && IsBlank(blank, segments[prevIdx]))
            {
                prevIdx--;
            }

            if (prevIdx < 0)
            {
                break;
            }

            var prev = Trimmed(blank, segments[prevIdx]);
            if (StartsContinuation(cur) || EndsContinuation(prev))
            {
                first = prevIdx;
                continue;
            }

            break;
        }

        var sb = new System.Text.StringBuilder();
        for (int s = first; s <= last; s++)
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(Trimmed(blank, segments[s]));
        }

        return sb.ToString();
    }

    private static bool IsBlank(char[] blank, (int Start, int End) seg)
    {
        for (int k = seg.Start; k < seg.End; k++)
        {
            if (!char.IsWhiteSpace(blank[k]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Trimmed(char[] blank, (int Start, int End) seg) => new string(blank, seg.Start, seg.End - seg.Start).Trim();

    private static bool StartsContinuation(string line) =>
        line.StartsWith("throws", StringComparison.Ordinal) || line.StartsWith("extends", StringComparison.Ordinal)
        || line.StartsWith("implements", StringComparison.Ordinal) || line.StartsWith("where", StringComparison.Ordinal)
        || line.StartsWith("->", StringComparison.Ordinal) || line.StartsWith("=>", StringComparison.Ordinal)
        || line.Length > 0 && line[0] is ':' or ',' or '.' or '&' or '|' or '?' or '+' or ')' or ']' or '=' or '<' or '>';

    private static bool EndsContinuation(string line) =>
        line.Length > 0 && (line[^1] is ',' or '(' or '=' or ':' or '&' or '|' or '+' or '.' or '<' or '\\' or '['
            || line.EndsWith("->", StringComparison.Ordinal) || line.EndsWith("=>", StringComparison.Ordinal));

    internal static BlockKind Classify(string header, CodeLanguage language)
    {
        string firstWord = FirstWord(header);
        if (Array.IndexOf(ControlWords, firstWord) >= 0)
        {
            return BlockKind.Container;
        }

        int paren = header.IndexOf('(', StringComparison.Ordinal);
        switch (language)
        {
            case CodeLanguage.Rust:
                if (HasWord(header, "fn") >= 0)
                {
                    return BlockKind.Body;
                }

                return HasWord(header, "impl") >= 0 || HasWord(header, "trait") >= 0 || HasWord(header, "mod") >= 0 || HasWord(header, "extern") >= 0
                    ? BlockKind.Container
                    : BlockKind.Other;
            case CodeLanguage.Go:
                return firstWord == "func" ? BlockKind.Body : BlockKind.Other;
        }

        int keyword = -1;
        string? word = null;
        foreach (var w in ContainerWords)
        {
            int at = HasWord(header, w);
            if (at >= 0 && (keyword < 0 || at < keyword))
            {
                keyword = at;
                word = w;
            }
        }

        bool js = language is CodeLanguage.JavaScript or CodeLanguage.TypeScript;
        if (keyword >= 0 && (paren < 0 || keyword < paren))
        {
            bool cReturnType = language is CodeLanguage.C or CodeLanguage.Cpp && word is "struct" or "union" or "enum" && paren >= 0;
            if (!cReturnType)
            {
                return BlockKind.Container;
            }
        }

        if (header.Contains("=>", StringComparison.Ordinal) || header.Contains("->", StringComparison.Ordinal)
            || header.Contains(')', StringComparison.Ordinal) || HasWord(header, "function") >= 0)
        {
            return BlockKind.Body;
        }

        return js || language is CodeLanguage.Kotlin or CodeLanguage.Swift ? BlockKind.Container : BlockKind.Other;
    }

    private static string FirstWord(string header)
    {
        int i = 0;
        while (i < header.Length && !char.IsLetter(header[i]) && header[i] != '}')
        {
            i++;
        }

        int start = i;
        while (i < header.Length && (char.IsLetterOrDigit(header[i]) || header[i] == '_'))
        {
            i++;
        }

        return header[start..i];
    }

    private static int HasWord(string text, string word)
    {
        int from = 0;
        while (true)
        {
            int at = text.IndexOf(word, from, StringComparison.Ordinal);
            if (at < 0)
            {
                return -1;
            }

            int end = at + word.Length;
            bool left = at == 0 || !(char.IsLetterOrDigit(text[at - 1]) || text[at - 1] is '_' or '$' or '.');
            bool right = end >= text.Length || !(char.IsLetterOrDigit(text[end]) || text[end] is '_' or '$');
            if (left && right)
            {
                return at;
            }

            from = at + 1;
        }
    }

    /// <summary>The declared name: the identifier before the first call-like '(' (or after fn/func/function), else before '=' or ':'.</summary>
    internal static string NameOf(string header)
    {
        foreach (var keyword in (string[])["fn", "function"])
        {
            int at = HasWord(header, keyword);
            if (at >= 0)
            {
                int s0 = at + keyword.Length;
                while (s0 < header.Length && header[s0] is ' ' or '*')
                {
                    s0++;
                }

                int e0 = s0;
                while (e0 < header.Length && (char.IsLetterOrDigit(header[e0]) || header[e0] is '_' or '$'))
                {
                    e0++;
                }

                if (e0 > s0)
                {
                    return header[s0..e0];
                }
            }
        }

        for (int p = header.IndexOf('(', StringComparison.Ordinal); p >= 0; p = header.IndexOf('(', p + 1))
        {
            int e = p;
            while (e > 0 && header[e - 1] == ' ')
            {
                e--;
            }

            int s = e;
            while (s > 0 && (char.IsLetterOrDigit(header[s - 1]) || header[s - 1] is '_' or '$'))
            {
                s--;
            }

            if (e > s)
            {
                string name = header[s..e];
                if (name is not ("function" or "if" or "for" or "while" or "switch" or "catch" or "return" or "new" or "func" or "fn" or "async"))
                {
                    return name;
                }
            }
        }

        int eq = header.IndexOfAny(['=', ':']);
        if (eq > 0)
        {
            int e = eq;
            while (e > 0 && header[e - 1] == ' ')
            {
                e--;
            }

            int s = e;
            while (s > 0 && (char.IsLetterOrDigit(header[s - 1]) || header[s - 1] is '_' or '$'))
            {
                s--;
            }

            return header[s..e];
        }

        return "";
    }
}
