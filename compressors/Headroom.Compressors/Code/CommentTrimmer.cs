namespace Headroom.Compressors.Code;

/// <summary>
/// Doc comments keep their first line of text: a block comment spanning lines becomes one line
/// (<c>/** first prose line */</c>); a run of two or more line comments keeps its first prose line. Comments inside function bodies are left to the body logic.
/// </summary>
internal static class CommentTrimmer
{
    public static void Plan(string input, LineIndex index, List<(int Start, int End)> comments, List<(int Start, int End)> bodies, List<Elision> into)
    {
        int bodyIdx = 0;
        int c = 0;
        while (c < comments.Count)
        {
            var (start, end) = comments[c];
            while (bodyIdx < bodies.Count && bodies[bodyIdx].End <= start)
            {
                bodyIdx++;
            }

            if (bodyIdx < bodies.Count && bodies[bodyIdx].Start <= start)
            {
                c++;
                continue;
            }

            int first = index.LineOf(start);
            if (!OnlyWhitespace(input, index.Start(first), start))
            {
                c++;
                continue;
            }

            bool block = input[start + 1] == '*';
            if (block)
            {
                int last = index.LineOf(Math.Max(start, end - 1));
                if (last > first && OnlyWhitespace(input, end, LineEnd(input, index, last)))
                {
                    PlanBlock(input, index, first, last, into);
                }

                c++;
                continue;
            }

            // A run of whole-line // comments on consecutive lines.
            int runEnd = c;
            int lastLine = first;
            while (runEnd + 1 < comments.Count)
            {
                var next = comments[runEnd + 1];
                int line = index.LineOf(next.Start);
                if (line != lastLine + 1 || input[next.Start + 1] != '/' || !OnlyWhitespace(input, index.Start(line), next.Start))
                {
                    break;
                }

                runEnd++;
                lastLine = line;
            }

            if (lastLine - first >= 1)
            {
                PlanRun(input, index, first, lastLine, into);
            }

            c = runEnd + 1;
        }
    }

    /// <summary>A block comment over several lines becomes one line: its opener, first line of prose, and <c>*/</c>.</summary>
    private static void PlanBlock(string input, LineIndex index, int first, int last, List<Elision> into)
    {
        int prose = first;
        while (prose <= last && !HasProse(input, index.Start(prose), LineEnd(input, index, prose)))
        {
            prose++;
        }

        if (prose > last)
        {
            return;
        }

        string indent = IndentOf(input, index.Start(first));
        var opening = input.AsSpan(index.Start(first) + indent.Length);
        string opener = opening.StartsWith("/**") ? "/**" : opening.StartsWith("/*!") ? "/*!" : "/*";
        var text = input.AsSpan(index.Start(prose), LineEnd(input, index, prose) - index.Start(prose)).Trim();
        if (prose == first)
        {
            text = text[opener.Length..];
        }

        if (prose == last && text.EndsWith("*/"))
        {
            text = text[..^2];
        }

        text = text.TrimStart('*').Trim();
        if (text.Contains("*/", StringComparison.Ordinal))
        {
            return;
        }

        into.Add(new Elision(index.Start(first), index.NextStart(last), last - first, indent, null, ElisionKind.DocLines, opener + " " + text.ToString() + " */"));
    }

    private static void PlanRun(string input, LineIndex index, int first, int last, List<Elision> into)
    {
        int keep = first;
        while (keep <= last && !HasProse(input, index.Start(keep), LineEnd(input, index, keep)))
        {
            keep++;
        }

        if (keep > last)
        {
            keep = first;
        }

        string indent = IndentOf(input, index.Start(first));
        if (keep > first)
        {
            into.Add(new Elision(index.Start(first), index.Start(keep), keep - first, indent, null, ElisionKind.DocLines));
        }

        if (keep < last)
        {
            into.Add(new Elision(index.Start(keep + 1), index.NextStart(last), last - keep, indent, null, ElisionKind.DocLines));
        }
    }

    private static int LineEnd(string input, LineIndex index, int line)
    {
        int end = index.NextStart(line);
        while (end > index.Start(line) && input[end - 1] is '\n' or '\r')
        {
            end--;
        }

        return end;
    }

    private static bool OnlyWhitespace(string input, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            if (!char.IsWhiteSpace(input[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Two letters in a row outside markup (so "/**", "*", "// ---" and "&lt;p&gt;" are not prose).</summary>
    internal static bool HasProse(string input, int from, int to)
    {
        bool inTag = false;
        int run = 0;
        for (int i = from; i < to; i++)
        {
            char ch = input[i];
            if (ch == '<')
            {
                inTag = true;
            }
            else if (ch == '>')
            {
                inTag = false;
            }

            run = !inTag && char.IsLetterOrDigit(ch) ? run + 1 : 0;
            if (run >= 2)
            {
                return true;
            }
        }

        return false;
    }

    private static string IndentOf(string input, int lineStart)
    {
        int i = lineStart;
        while (i < input.Length && input[i] is ' ' or '\t')
        {
            i++;
        }

        return input[lineStart..i];
    }
}
