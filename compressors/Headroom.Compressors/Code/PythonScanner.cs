namespace Headroom.Compressors.Code;

/// <summary>
/// Splits Python source into logical lines: physical lines joined by open brackets, triple-quoted
/// strings and backslash continuations; comment-only and blank lines are not logical lines.
/// </summary>
internal static class PythonScanner
{
    public static List<PythonLine> Scan(string text, LineIndex index) => Scan(text, index, null);

    /// <summary>As <see cref="Scan(string, LineIndex)"/>, also listing comment-only physical lines (outside strings and brackets).</summary>
    public static List<PythonLine> Scan(string text, LineIndex index, List<int>? commentLines)
    {
        var result = new List<PythonLine>(index.Count);
        int depth = 0;
        char quote = '\0';
        bool triple = false;
        int logicalFirst = -1;
        int logicalIndent = 0;
        int logicalStart = 0;
        char lastCode = '\0';
        bool continuation = false;
        for (int line = 0; line < index.Count; line++)
        {
            int i = index.Start(line);
            int end = index.NextStart(line);
            bool startsLogical = depth == 0 && quote == '\0' && !continuation;
            continuation = false;
            if (startsLogical)
            {
                int col = 0;
                while (i < end && text[i] is ' ' or '\t')
                {
                    col += text[i] == '\t' ? 8 - (col % 8) : 1;
                    i++;
                }

                if (i >= end || text[i] is '\n' or '\r' or '#' or '\f')
                {
                    if (i < end && text[i] == '#')
                    {
                        commentLines?.Add(line);
                    }

                    continue; // blank or comment-only
                }

                logicalFirst = line;
                logicalIndent = col;
                logicalStart = i;
                lastCode = '\0';
            }

            for (; i < end; i++)
            {
                char c = text[i];
                if (quote != '\0')
                {
                    if (c == '\\')
                    {
                        i++;
                    }
                    else if (c == quote && (!triple || (i + 2 < end && text[i + 1] == quote && text[i + 2] == quote)))
                    {
                        if (triple)
                        {
                            i += 2;
                        }

                        quote = '\0';
                        lastCode = c;
                    }
                    else if (c == '\n' && !triple)
                    {
                        quote = '\0'; // unterminated single-quoted string: recover at end of line
                    }

                    continue;
                }

                switch (c)
                {
                    case '#':
                        i = end - 1;
                        continue;
                    case '\'' or '"':
                        quote = c;
                        triple = i + 2 < text.Length && text[i + 1] == c && text[i + 2] == c;
                        if (triple)
                        {
                            i += 2;
                        }

                        continue;
                    case '(' or '[' or '{':
                        depth++;
                        break;
                    case ')' or ']' or '}':
                        depth = Math.Max(0, depth - 1);
                        break;
                    case '\\' when i + 1 < end && (text[i + 1] == '\n' || (text[i + 1] == '\r' && i + 2 < end)):
                        continuation = true;
                        i = end - 1;
                        continue;
                }

                if (!char.IsWhiteSpace(c))
                {
                    lastCode = c;
                }
            }

            if (depth == 0 && quote == '\0' && !continuation && logicalFirst >= 0)
            {
                result.Add(new PythonLine(logicalFirst, line, logicalIndent, logicalStart, lastCode));
                logicalFirst = -1;
            }
        }

        if (logicalFirst >= 0)
        {
            result.Add(new PythonLine(logicalFirst, index.Count - 1, logicalIndent, logicalStart, lastCode));
        }

        return result;
    }
}
