using System.Text;

namespace Headroom.Compressors.Code;

/// <summary>
/// Runs of declarations that differ only in their name and numbers (benchmarks per size, one-line
/// delegating methods, table-driven cases) keep the first; the rest become one note listing their names.
/// A declaration here is a blank-line-separated group of lines that starts and ends at declaration level.
/// </summary>
internal static class SimilarDeclarations
{
    private const int MinRun = 3;

    public static void Plan(SkeletonContext cut, int[] lineDepth, string comment, List<Elision> into)
    {
        var chunks = Chunks(cut, lineDepth);
        int r = 0;
        while (r < chunks.Count)
        {
            var first = Tokens(cut.Input, cut.Index, chunks[r]);
            int end = r + 1;
            var names = new List<string>();
            while (end < chunks.Count && chunks[end].First == chunks[end - 1].Last + 2 && Alike(first, Tokens(cut.Input, cut.Index, chunks[end]), names))
            {
                end++;
            }

            if (end - r >= MinRun)
            {
                int from = cut.Index.Start(chunks[r + 1].First);
                int to = cut.Index.NextStart(chunks[end - 1].Last);
                if (!cut.Query.MatchesText(cut.Input.AsSpan(from, to - from)))
                {
                    string indent = CSharpSkeleton.IndentOf(cut.Input, from, to);
                    string note = comment + " … " + (end - r - 1) + " more like the one above: " + string.Join(", ", names);
                    into.Add(new Elision(from, to, chunks[end - 1].Last - chunks[r + 1].First + 1, indent, null, ElisionKind.SimilarDeclarations, note));
                }
            }

            r = end;
        }
    }

    /// <summary>Blank-line-separated line groups [First, Last] starting and ending at the same declaration depth.</summary>
    private static List<(int First, int Last)> Chunks(SkeletonContext cut, int[] lineDepth)
    {
        var result = new List<(int, int)>();
        int lines = cut.Index.Count;
        int l = 0;
        while (l < lines)
        {
            if (IsBlank(cut, l))
            {
                l++;
                continue;
            }

            int first = l;
            while (l < lines && !IsBlank(cut, l))
            {
                l++;
            }

            int after = Math.Min(l, lineDepth.Length - 1);
            if (lineDepth[first] > 0 && lineDepth[first] == lineDepth[after])
            {
                result.Add((first, l - 1));
            }
        }

        return result;
    }

    private static bool IsBlank(SkeletonContext cut, int line)
    {
        for (int k = cut.Index.Start(line); k < cut.Index.NextStart(line); k++)
        {
            if (!char.IsWhiteSpace(cut.Input[k]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Identifiers, numbers and single punctuation characters of the group's text.</summary>
    private static List<string> Tokens(string input, LineIndex index, (int First, int Last) chunk)
    {
        var tokens = new List<string>();
        int end = index.NextStart(chunk.Last);
        int i = index.Start(chunk.First);
        while (i < end)
        {
            char c = input[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            int start = i;
            if (char.IsLetterOrDigit(c) || c is '_' or '$')
            {
                while (i < end && (char.IsLetterOrDigit(input[i]) || input[i] is '_' or '$' || (input[i] == '.' && char.IsDigit(c))))
                {
                    i++;
                }
            }
            else
            {
                i++;
            }

            tokens.Add(input[start..i]);
        }

        return tokens;
    }

    /// <summary>Same tokens except numbers and at most one identifier (the name, added to <paramref name="names"/>).</summary>
    private static bool Alike(List<string> a, List<string> b, List<string> names)
    {
        if (a.Count != b.Count || a.Count == 0)
        {
            return false;
        }

        string? name = null;
        for (int k = 0; k < a.Count; k++)
        {
            if (string.Equals(a[k], b[k], StringComparison.Ordinal) || char.IsDigit(a[k][0]) && char.IsDigit(b[k][0]))
            {
                continue;
            }

            if (!IsIdentifier(a[k]) || !IsIdentifier(b[k]) || (name is not null && !string.Equals(name, b[k], StringComparison.Ordinal)))
            {
                return false;
            }

            name = b[k];
        }

        if (name is null)
        {
            return false;
        }

        names.Add(name);
        return true;
    }

    private static bool IsIdentifier(string token) => token.Length > 0 && (char.IsLetter(token[0]) || token[0] is '_' or '$');
}
