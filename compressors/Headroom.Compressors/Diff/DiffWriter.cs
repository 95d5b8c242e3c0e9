using System.Globalization;
using Headroom.Compressors.Logs;
using Headroom.Compressors.Spans;

namespace Headroom.Compressors.Diff;

/// <summary>Writes the kept parts of a diff with their spans and counts what it did not copy whole.</summary>
internal sealed class DiffWriter(string input, LogLines lines, Dictionary<int, LineCut> cuts)
{
    public SpanBuilder Builder { get; } = new(input, input.Length / 2);

    /// <summary>Source lines copied whole.</summary>
    public int Verbatim { get; private set; }

    /// <summary>Changed lines shown in part.</summary>
    public int Cut { get; private set; }

    /// <summary>Something of the source is not in the output.</summary>
    public bool Lossy { get; private set; }

    public void Line(int i)
    {
        var (start, end, next) = lines[i];
        Builder.Kept(start, next);
        if (next == end)
        {
            Builder.Summary("\n");
        }

        Verbatim++;
    }

    /// <summary>The file's first line followed by <paramref name="note"/> standing for the whole file.</summary>
    public void Collapsed(DiffFile f, string note)
    {
        Builder.Kept(lines[f.FirstLine].Start, lines[f.FirstLine].End).Summary(note, lines[f.FirstLine].Start, lines[f.LastLine].Next);
        Verbatim++;
        Lossy = true;
    }

    public void Marker(string text, DiffFile f) => Builder.Marker(text, lines[f.FirstLine].Start, lines[f.LastLine].Next);

    /// <summary>Every +/- line and <paramref name="context"/> context lines around each run of changes
    /// (clipped past <paramref name="clipFrom"/> chars); a hunk split by a long context run becomes
    /// several hunks with recomputed headers.</summary>
    public void Hunk(DiffHunk h, int context, int clipFrom, int clip)
    {
        var first = h.HeaderLine + 1;
        var count = h.LastLine - first + 1;
        if (count <= 0)
        {
            Line(h.HeaderLine);
            return;
        }

        var keep = new bool[count];
        for (var k = 0; k < count; k++)
        {
            if (DiffParser.Kind(input, lines, first + k) is '+' or '-' or '\\')
            {
                for (var j = Math.Max(0, k - context); j <= Math.Min(count - 1, k + context); j++)
                {
                    keep[j] = true;
                }
            }
        }

        if (keep.All(k => k))
        {
            Line(h.HeaderLine);
            for (var i = first; i <= h.LastLine; i++)
            {
                Body(i, clipFrom, clip);
            }

            return;
        }

        // Walk the hunk tracking old/new line numbers; emit each kept run under its own header.
        Lossy = true;
        int oldLine = h.OldStart, newLine = h.NewStart;
        for (var k = 0; k < count;)
        {
            if (!keep[k])
            {
                Advance(DiffParser.Kind(input, lines, first + k), ref oldLine, ref newLine);
                k++;
                continue;
            }

            var runEnd = k;
            int oldCount = 0, newCount = 0;
            while (runEnd < count && keep[runEnd])
            {
                var c = DiffParser.Kind(input, lines, first + runEnd);
                oldCount += c is '-' or ' ' ? 1 : 0;
                newCount += c is '+' or ' ' ? 1 : 0;
                runEnd++;
            }

            var header = string.Create(CultureInfo.InvariantCulture, $"@@ -{Range(oldLine, oldCount)} +{Range(newLine, newCount)} @@{h.Section}\n");
            Builder.Summary(header, lines[h.HeaderLine].Start, lines[h.LastLine].Next);
            for (var j = k; j < runEnd; j++)
            {
                Body(first + j, clipFrom, clip);
                Advance(DiffParser.Kind(input, lines, first + j), ref oldLine, ref newLine);
            }

            k = runEnd;
        }
    }

    private void Body(int i, int clipFrom, int clip)
    {
        var (start, end, next) = lines[i];
        if (cuts.TryGetValue(i, out var cut))
        {
            Builder.Kept(start, start + 1);
            if (cut.Middle)
            {
                Builder.Summary("…", start, end);
            }

            Builder.Kept(cut.From, cut.To).Summary("…", start, end).Kept(end, next);
            Cut++;
            Lossy = true;
        }
        else if (end - start > clipFrom && DiffParser.Kind(input, lines, i) == ' ')
        {
            var to = start + 1 + clip;
            if (char.IsHighSurrogate(input[to - 1]))
            {
                to--;
            }

            Builder.Kept(start, to).Summary("…", to, end).Kept(end, next);
            Lossy = true;
        }
        else
        {
            Builder.Kept(start, next);
            Verbatim++;
        }

        if (next == end)
        {
            Builder.Summary("\n");
        }
    }

    private static string Range(int start, int count) =>
        count == 1 ? start.ToString(CultureInfo.InvariantCulture)
        : count == 0 ? string.Create(CultureInfo.InvariantCulture, $"{start - 1},0")
        : string.Create(CultureInfo.InvariantCulture, $"{start},{count}");

    private static void Advance(char kind, ref int oldLine, ref int newLine)
    {
        if (kind is '-' or ' ')
        {
            oldLine++;
        }

        if (kind is '+' or ' ')
        {
            newLine++;
        }
    }
}
