using Headroom.Compressors.Text;

namespace Headroom.Compressors.Code;

/// <summary>
/// Python by indentation: imports, decorators, class and def signatures stay; a function body
/// becomes its docstring's first line plus a marker comment, or <c>...  # marker</c> when it has
/// no docstring, so every suite still holds a statement.
/// </summary>
internal static class PythonSkeleton
{
    public static List<Elision> Plan(string input, LineIndex index, QueryTerms query, int minBodyLines, CodeOptions options)
    {
        var commentLines = new List<int>();
        var lines = PythonScanner.Scan(input, index, commentLines);
        var elisions = new List<Elision>();
        if (lines.Count > 0)
        {
            TrimDocstring(input, index, lines[0], elisions);
        }

        int i = 0;
        while (i < lines.Count)
        {
            var header = lines[i];
            if (header.LastCodeChar == ':' && i + 1 < lines.Count && lines[i + 1].Indent > header.Indent && IsClass(input, header.ContentStart))
            {
                TrimDocstring(input, index, lines[i + 1], elisions);
            }

            if (!IsDef(input, header.ContentStart, out string name) || header.LastCodeChar != ':')
            {
                i++;
                continue;
            }

            int j = i + 1;
            while (j < lines.Count && lines[j].Indent > header.Indent)
            {
                j++;
            }

            if (j == i + 1)
            {
                i++;
                continue;
            }

            int firstBody = lines[i + 1].First;
            int lastBody = lines[j - 1].Last;
            int bodyStart = index.Start(firstBody);
            int bodyEnd = index.NextStart(lastBody);
            if (query.MatchesName(name) || query.MatchesText(input.AsSpan(bodyStart, bodyEnd - bodyStart)))
            {
                i = j;
                continue;
            }

            string indent = input[index.Start(firstBody)..lines[i + 1].ContentStart];
            var doc = lines[i + 1];
            string? delimiter = DocstringDelimiter(input, doc.ContentStart);
            if (delimiter is not null)
            {
                // Keep the docstring's first line of text; close it if it continues.
                int keepLast = doc.First;
                if (doc.Last > doc.First && OnlyDelimiter(input, doc.ContentStart, index.NextStart(doc.First)))
                {
                    keepLast = doc.First + 1;
                }

                bool closed = doc.Last <= keepLast;
                int from = keepLast + 1;
                int count = lastBody - keepLast;
                if (count >= minBodyLines && ElisionCost.Pays(input, index.Start(from), bodyEnd, options.MinBodyChars))
                {
                    elisions.Add(new Elision(index.Start(from), bodyEnd, count, indent, name, ElisionKind.PythonBodyAfterDoc, closed ? "" : delimiter));
                }
            }
            else if (lastBody - firstBody + 1 >= minBodyLines && ElisionCost.Pays(input, bodyStart, bodyEnd, options.MinBodyChars))
            {
                elisions.Add(new Elision(bodyStart, bodyEnd, lastBody - firstBody + 1, indent, name, ElisionKind.PythonBodyEllipsis));
            }

            i = j;
        }

        TrimCommentRuns(input, index, commentLines, elisions);
        elisions.Sort((a, b) => a.Start.CompareTo(b.Start));
        return CSharpSkeleton.RemoveOverlaps(elisions);
    }

    private static bool IsClass(string input, int at) => input.AsSpan(at).StartsWith("class ") || input.AsSpan(at).StartsWith("class\t");

    /// <summary>A module or class docstring keeps its first line of text and is closed again.</summary>
    private static void TrimDocstring(string input, LineIndex index, PythonLine doc, List<Elision> into)
    {
        string? delimiter = DocstringDelimiter(input, doc.ContentStart);
        if (delimiter is null || doc.Last - doc.First < 2)
        {
            return;
        }

        int keepLast = OnlyDelimiter(input, doc.ContentStart, index.NextStart(doc.First)) ? doc.First + 1 : doc.First;
        if (doc.Last - keepLast < 2)
        {
            return;
        }

        string indent = input[index.Start(doc.First)..doc.ContentStart];
        into.Add(new Elision(index.Start(keepLast + 1), index.NextStart(doc.Last), doc.Last - keepLast, indent, null, ElisionKind.DocLines, delimiter));
    }

    /// <summary>Runs of three or more comment lines (outside elided bodies) keep their first line of text.</summary>
    private static void TrimCommentRuns(string input, LineIndex index, List<int> commentLines, List<Elision> elisions)
    {
        var covered = elisions.ConvertAll(e => (e.Start, e.End));
        int k = 0;
        while (k < commentLines.Count)
        {
            int first = commentLines[k];
            int last = first;
            while (k + 1 < commentLines.Count && commentLines[k + 1] == last + 1)
            {
                k++;
                last++;
            }

            k++;
            if (last - first < 2 || covered.Exists(r => r.Start <= index.Start(first) && index.Start(first) < r.End))
            {
                continue;
            }

            int keep = first;
            while (keep <= last && !CommentTrimmer.HasProse(input, index.Start(keep), index.NextStart(keep)))
            {
                keep++;
            }

            keep = keep > last ? first : keep;
            if (keep > first)
            {
                elisions.Add(new Elision(index.Start(first), index.Start(keep), keep - first, "", null, ElisionKind.DocLines));
            }

            if (keep < last)
            {
                elisions.Add(new Elision(index.Start(keep + 1), index.NextStart(last), last - keep, "", null, ElisionKind.DocLines));
            }
        }
    }

    private static bool IsDef(string input, int at, out string name)
    {
        name = "";
        var s = input.AsSpan(at);
        if (s.StartsWith("async "))
        {
            s = s[6..].TrimStart(' ');
        }

        if (!s.StartsWith("def ") && !s.StartsWith("def\t"))
        {
            return false;
        }

        s = s[4..].TrimStart(" \t");
        int n = 0;
        while (n < s.Length && (char.IsLetterOrDigit(s[n]) || s[n] == '_'))
        {
            n++;
        }

        name = s[..n].ToString();
        return n > 0;
    }

    /// <summary>The closing delimiter (""" or ''') when the statement at <paramref name="at"/> is a triple-quoted string; null otherwise.</summary>
    private static string? DocstringDelimiter(string input, int at)
    {
        int i = at;
        while (i < input.Length && i - at < 2 && input[i] is 'r' or 'R' or 'u' or 'U' or 'b' or 'B')
        {
            i++;
        }

        if (i + 2 < input.Length && input[i] is '"' or '\'' && input[i + 1] == input[i] && input[i + 2] == input[i])
        {
            return new string(input[i], 3);
        }

        return null;
    }

    private static bool OnlyDelimiter(string input, int contentStart, int lineEnd)
    {
        var rest = input.AsSpan(contentStart, lineEnd - contentStart).Trim();
        rest = rest.TrimStart("rRuUbB");
        return rest is "\"\"\"" or "'''";
    }
}
