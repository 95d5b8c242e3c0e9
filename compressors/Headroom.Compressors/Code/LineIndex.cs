namespace Headroom.Compressors.Code;

/// <summary>Start offsets of every line of a text, for line ↔ offset arithmetic.</summary>
internal sealed class LineIndex
{
    private readonly int[] _starts;

    public LineIndex(string text)
    {
        var starts = new List<int>(text.Length / 32 + 1) { 0 };
        int i = text.IndexOf('\n');
        while (i >= 0)
        {
            starts.Add(i + 1);
            i = text.IndexOf('\n', i + 1);
        }

        _starts = [.. starts];
        TextLength = text.Length;
    }

    public int TextLength { get; }

    /// <summary>Number of lines (a final line without newline counts; an empty last line after '\n' does not).</summary>
    public int Count => _starts[^1] == TextLength && _starts.Length > 1 ? _starts.Length - 1 : _starts.Length;

    public int Start(int line) => line < _starts.Length ? _starts[line] : TextLength;

    /// <summary>Offset just past the line's '\n' (or end of text).</summary>
    public int NextStart(int line) => line + 1 < _starts.Length ? _starts[line + 1] : TextLength;

    public int LineOf(int offset)
    {
        int idx = Array.BinarySearch(_starts, offset);
        return idx >= 0 ? idx : ~idx - 1;
    }
}
