namespace Headroom.Compressors.Logs;

/// <summary>Line boundaries of a text: content [Start, End) and the start of the next line
/// (End + 1 after a '\n', End at the end of text). A trailing '\r' stays in the content.</summary>
internal sealed class LogLines
{
    private readonly List<(int Start, int End, int Next)> _lines;

    private LogLines(List<(int Start, int End, int Next)> lines) => _lines = lines;

    public int Count => _lines.Count;

    public (int Start, int End, int Next) this[int index] => _lines[index];

    public static LogLines Split(string text)
    {
        var lines = new List<(int, int, int)>(text.Length / 60 + 1);
        var start = 0;
        while (start < text.Length)
        {
            var nl = text.IndexOf('\n', start);
            if (nl < 0)
            {
                lines.Add((start, text.Length, text.Length));
                break;
            }

            lines.Add((start, nl, nl + 1));
            start = nl + 1;
        }

        return new LogLines(lines);
    }

    /// <summary>The line that holds char <paramref name="offset"/> (its '\n' included).</summary>
    public int LineAt(int offset)
    {
        int lo = 0, hi = _lines.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_lines[mid].Start <= offset)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    public ReadOnlySpan<char> Text(string source, int index) => source.AsSpan(_lines[index].Start, _lines[index].End - _lines[index].Start);
}
