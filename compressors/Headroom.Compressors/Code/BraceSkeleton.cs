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

    public static List<Elision>? Plan(string input, LineIndex index, CodeLanguage language, QueryTerms query, int minBodyLines, CodeOptions options)
    {
        var (blank, comments, literals) = BraceLexer.LexWithLiterals(input, language);
        var bodies = new List<(int Start, int End)>();
        var opaque = new List<(int Start, int End)>(comments.Count + literals.Count);
        opaque.AddRange(comments);
        literals.ForEach(l => opaque.Add((l.Start, l.End)));
        opaque.Sort((a, b) => a.Start.CompareTo(b.Start));
        var cut = new SkeletonContext(input, blank, index, query, minBodyLines, options, opaque);
        var lineDepth = new int[index.Count + 1];
        var elisions = PlanBodies(cut, language, bodies, lineDepth);
        if (elisions is null)
        {
            return null;
        }

        SimilarDeclarations.Plan(cut, lineDepth, CodeLanguages.LineComment(language), elisions);

        PlanLiterals(cut, literals, bodies, elisions);
        CommentTrimmer.Plan(input, index, comments, bodies, elisions);
        elisions.Sort((a, b) => a.Start.CompareTo(b.Start));
        return CSharpSkeleton.RemoveOverlaps(elisions);
    }

    /// <summary>Plans body and initializer cuts; fills <paramref name="lineDepth"/> with the container depth at each line start (-1 inside a body, initializer or bracket).</summary>
    private static List<Elision>? PlanBodies(SkeletonContext cut, CodeLanguage language, List<(int Start, int End)> bodies, int[] lineDepth)
    {
        char[] blank = cut.Blank;
        var stack = new List<(int Open, BlockKind Kind, int LastSep)> { (-1, BlockKind.Container, -1) };
        var elisions = new List<Elision>();
        int line = 0;
        int nonContainers = 0;
        lineDepth[0] = 1;
        for (int i = 0; i < blank.Length; i++)
        {
            char c = blank[i];
            if (c != '\n')
            {
                nonContainers += c switch
                {
                    '(' or '[' => 1,
                    ')' or ']' => -1,
                    _ => 0,
                };
            }

            switch (c)
            {
                case '\n':
                    if (++line < lineDepth.Length)
                    {
                        lineDepth[line] = nonContainers == 0 ? stack.Count : -1;
                    }

                    break;
                case '(' or '[':
                    stack.Add((i, BlockKind.Paren, i));
                    break;
                case ')' or ']':
                {
                    var frame = stack[^1];
                    if (frame.Kind != BlockKind.Paren)
                    {
                        return null;
                    }

                    stack.RemoveAt(stack.Count - 1);
                    if (stack[^1].Kind == BlockKind.Container)
                    {
                        TryInitializer(cut, frame.Open, i, HeaderText(blank, stack[^1].LastSep + 1, frame.Open), elisions);
                    }

                    break;
                }

                case '{':
                {
                    var top = stack[^1];
                    BlockKind kind = top.Kind switch
                    {
                        BlockKind.Container => Classify(HeaderText(blank, top.LastSep + 1, i), language),
                        // A callback passed as an argument (`f("x", (a) => {`, `app.get(p, function (req) {`) is a body; an object literal argument holds declarations.
                        BlockKind.Paren => language is CodeLanguage.JavaScript or CodeLanguage.TypeScript
                            ? IsCallback(HeaderText(blank, top.LastSep + 1, i)) ? BlockKind.Body : BlockKind.Container
                            : BlockKind.Other,
                        _ => BlockKind.Other,
                    };
                    stack.Add((i, kind, i));
                    nonContainers += kind == BlockKind.Container ? 0 : 1;
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
                    nonContainers -= frame.Kind == BlockKind.Container ? 0 : 1;
                    var parent = stack[^1];
                    if (frame.Kind == BlockKind.Body)
                    {
                        bodies.Add((frame.Open, i));
                        string header = HeaderText(blank, parent.LastSep + 1, frame.Open);
                        if (parent.Kind == BlockKind.Paren && stack.Count >= 2 && NameOf(header).Length == 0)
                        {
                            // A callback is named after the call it is passed to.
                            header = HeaderText(blank, stack[^2].LastSep + 1, parent.Open) + "(";
                        }

                        TryElide(cut, frame.Open, i, header, elisions);
                    }
                    else if (frame.Kind == BlockKind.Other && parent.Kind == BlockKind.Container)
                    {
                        // A composite literal (`var tests = []T{`) is part of its statement: the header of what follows starts later.
                        TryInitializer(cut, frame.Open, i, HeaderText(blank, parent.LastSep + 1, frame.Open), elisions);
                        break;
                    }

                    stack[^1] = parent with { LastSep = i };
                    break;
                }

                case ';':
                    // Only ';' ends a declaration: commas at declaration level sit in generics (`impl<K, V>`),
                    // implements lists and enum constants, and the header logic already splits on line breaks.
                    if (stack[^1].Kind != BlockKind.Paren)
                    {
                        stack[^1] = stack[^1] with { LastSep = i };
                    }

                    break;
            }
        }

        return stack.Count == 1 ? elisions : null;
    }

    /// <summary>Long multi-line literals outside function bodies (templates, embedded documents) keep their first lines.</summary>
    private static void PlanLiterals(SkeletonContext cut, List<(int Start, int End, bool HasHoles)> literals, List<(int Start, int End)> bodies, List<Elision> into)
    {
        bodies.Sort((a, b) => a.Start.CompareTo(b.Start));
        foreach (var (start, end, hasHoles) in literals)
        {
            int openLine = cut.Index.LineOf(start);
            int closeLine = cut.Index.LineOf(Math.Max(start, end - 1));
            if (hasHoles || closeLine - openLine + 1 < cut.Options.LongLiteralLines || Inside(bodies, start))
            {
                continue;
            }

            int from = cut.Index.Start(Math.Min(openLine + 1 + cut.Options.KeptLeadLines, closeLine));
            int to = cut.Index.Start(closeLine);
            int lines = closeLine - cut.Index.LineOf(from);
            if (lines < 2 || cut.Query.MatchesText(cut.Input.AsSpan(from, to - from)))
            {
                continue;
            }

            into.Add(new Elision(from, to, lines, "", null, ElisionKind.LiteralLines));
        }
    }

    private static bool Inside(List<(int Start, int End)> sorted, int at)
    {
        int lo = 0, hi = sorted.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid].End < at)
            {
                lo = mid + 1;
            }
            else if (sorted[mid].Start > at)
            {
                hi = mid - 1;
            }
            else
            {
                return true;
            }
        }

        // Bodies nest, so a range starting earlier may still contain it: check the neighbours' enclosing ranges.
        for (int k = Math.Max(0, lo - 64); k < sorted.Count && sorted[k].Start <= at; k++)
        {
            if (sorted[k].End >= at)
            {
                return true;
            }
        }

        return false;
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

    private static void TryElide(SkeletonContext cut, int open, int close, string header, List<Elision> into)
    {
        var index = cut.Index;
        int openLine = index.LineOf(open);
        int closeLine = index.LineOf(close);
        if (closeLine - openLine - 1 < cut.MinBodyLines || !OwnLines(cut, open, close))
        {
            return;
        }

        int start = index.Start(openLine + 1);
        int end = index.Start(closeLine);
        string name = NameOf(header);
        if (!ElisionCost.Pays(cut.Input, start, end, cut.Options.MinBodyChars) || cut.Query.MatchesName(name) || cut.Query.MatchesText(cut.Input.AsSpan(start, end - start)))
        {
            return;
        }

        into.Add(new Elision(start, end, closeLine - openLine - 1, CSharpSkeleton.IndentOf(cut.Input, start, end), name.Length > 0 ? name : null, ElisionKind.Body));
    }

    private static bool IsCallback(string header) =>
        header.TrimEnd().EndsWith("=>", StringComparison.Ordinal) || HasWord(header, "function") >= 0;

    /// <summary>A declaration-level initializer (<c>x = {</c>, <c>x = [</c>, <c>x = f(</c>) over many lines: keeps its first entries, then a note.</summary>
    private static void TryInitializer(SkeletonContext cut, int open, int close, string header, List<Elision> into)
    {
        var index = cut.Index;
        int openLine = index.LineOf(open);
        int closeLine = index.LineOf(close);
        if (closeLine - openLine - 1 < cut.Options.LongInitializerLines || !HasAssignment(header))
        {
            return;
        }

        int start;
        if (OwnLines(cut, open, close))
        {
            // Keep up to KeptLeadLines leading lines, but only whole entries: brackets in the kept lead must balance.
            int lead = Math.Min(cut.Options.KeptLeadLines, closeLine - openLine - 2);
            while (lead > 0 && (!Balanced(cut.Blank, index.Start(openLine + 1), index.Start(openLine + 1 + lead)) || InsideOpaque(cut.Opaque, index.Start(openLine + 1 + lead))))
            {
                lead--;
            }

            start = index.Start(openLine + 1 + lead);
        }
        else if (FirstElementEnd(cut, open, close) is { } afterFirst)
        {
            // Go's table style, `var tests = []T{{ ... }, { ... }}`: keep the first element whole as the example.
            start = afterFirst;
        }
        else
        {
            return;
        }

        int end = index.Start(closeLine);
        if (end - start <= 0)
        {
            return;
        }

        string name = NameOf(header);
        if (!ElisionCost.Pays(cut.Input, start, end, cut.Options.MinBodyChars) || cut.Query.MatchesName(name) || cut.Query.MatchesText(cut.Input.AsSpan(start, end - start)))
        {
            return;
        }

        into.Add(new Elision(start, end, closeLine - index.LineOf(start), CSharpSkeleton.IndentOf(cut.Input, start, end), name.Length > 0 ? name : null, ElisionKind.Initializer));
    }

    /// <summary>
    /// For an initializer whose elements hug its braces (<c>= []T{{</c> on the open line, <c>}}</c> on the
    /// close line), the start of the line after the first element's separator line (<c>}, {</c>): from there
    /// to the close line, whole elements. Null when the layout is any other or there is one element only.
    /// </summary>
    private static int? FirstElementEnd(SkeletonContext cut, int open, int close)
    {
        var index = cut.Index;
        var blank = cut.Blank;
        int openLine = index.LineOf(open);
        int closeLine = index.LineOf(close);
        int k = open + 1;
        int lineEnd = index.NextStart(openLine);
        while (k < lineEnd && char.IsWhiteSpace(blank[k]))
        {
            k++;
        }

        if (k >= lineEnd || blank[k] != '{')
        {
            return null;
        }

        for (k++; k < lineEnd; k++)
        {
            if (!char.IsWhiteSpace(blank[k]))
            {
                return null;
            }
        }

        int c = close - 1;
        while (c >= index.Start(closeLine) && char.IsWhiteSpace(blank[c]))
        {
            c--;
        }

        if (c < index.Start(closeLine) || blank[c] != '}')
        {
            return null;
        }

        for (int j = index.Start(closeLine); j < c; j++)
        {
            if (!char.IsWhiteSpace(blank[j]))
            {
                return null;
            }
        }

        // Inside the first element (depth 1). A separator line dips to 0 and ends back at 1.
        int depth = 1;
        for (int line = openLine + 1; line < closeLine; line++)
        {
            bool dipped = false;
            for (int j = index.Start(line); j < index.NextStart(line) && j < blank.Length; j++)
            {
                if (blank[j] is '(' or '[' or '{')
                {
                    depth++;
                }
                else if (blank[j] is ')' or ']' or '}')
                {
                    depth--;
                    dipped |= depth == 0;
                    if (depth < 0)
                    {
                        return null;
                    }
                }
            }

            if (dipped && depth == 1)
            {
                int next = index.Start(line + 1);
                return line + 1 < closeLine && !InsideOpaque(cut.Opaque, next) ? next : null;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="at"/> lies strictly inside a comment or string literal (ranges sorted, not overlapping).</summary>
    private static bool InsideOpaque(List<(int Start, int End)> sorted, int at)
    {
        int lo = 0, hi = sorted.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid].End <= at)
            {
                lo = mid + 1;
            }
            else if (sorted[mid].Start >= at)
            {
                hi = mid - 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The opening bracket ends its line and the closing one starts its line (in code terms: comments and strings are blank).</summary>
    private static bool OwnLines(SkeletonContext cut, int open, int close)
    {
        var index = cut.Index;
        int openLine = index.LineOf(open);
        for (int k = open + 1; k < index.NextStart(openLine) && k < cut.Blank.Length; k++)
        {
            if (!char.IsWhiteSpace(cut.Blank[k]))
            {
                return false;
            }
        }

        for (int k = index.Start(index.LineOf(close)); k < close; k++)
        {
            if (!char.IsWhiteSpace(cut.Blank[k]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Balanced(char[] blank, int from, int to)
    {
        int depth = 0;
        for (int k = from; k < to; k++)
        {
            if (blank[k] is '(' or '[' or '{')
            {
                depth++;
            }
            else if (blank[k] is ')' or ']' or '}' && --depth < 0)
            {
                return false;
            }
        }

        return depth == 0;
    }

    /// <summary>An assignment '=' at bracket depth 0 (not ==, !=, &lt;=, &gt;=, =&gt;).</summary>
    private static bool HasAssignment(string header)
    {
        int depth = 0;
        int angle = 0;
        for (int k = 0; k < header.Length; k++)
        {
            char c = header[k];
            char before = k > 0 ? header[k - 1] : ' ';
            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                depth--;
            }
            else if (c == '<' && before != '<' && (k + 1 >= header.Length || header[k + 1] is not ('<' or '=')))
            {
                angle++; // generics: `Iterator<Item = T>` binds a type, it does not assign
            }
            else if (c == '>' && before is not ('-' or '=' or '>') && angle > 0)
            {
                angle--;
            }
            else if (c == '=' && depth == 0 && angle == 0)
            {
                char after = k + 1 < header.Length ? header[k + 1] : ' ';
                if (before is not ('=' or '!' or '<' or '>') && after is not ('=' or '>'))
                {
                    return true;
                }
            }
        }

        return false;
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
            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
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
        line == "where" || line.EndsWith(" where", StringComparison.Ordinal) || line.Length > 0 && (line[^1] is ',' or '(' or '=' or ':' or '&' or '|' or '+' or '.' or '<' or '\\' or '['
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
                if (HasWord(header, "fn") >= 0 || firstWord == "macro_rules")
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
        foreach (var keyword in (string[])["fn", "function", "macro_rules"])
        {
            int at = HasWord(header, keyword);
            if (at >= 0)
            {
                int s0 = at + keyword.Length;
                while (s0 < header.Length && header[s0] is ' ' or '*' or '!')
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
