namespace Headroom.Compressors.Diff;

/// <summary>A hunk: its header line, body line indices and the old/new start lines from the header.</summary>
internal sealed class DiffHunk(int headerLine, int oldStart, int newStart, string section)
{
    public int HeaderLine { get; } = headerLine;

    public int OldStart { get; } = oldStart;

    public int NewStart { get; } = newStart;

    /// <summary>Text after the second @@ (function context), with its leading space.</summary>
    public string Section { get; } = section;

    public int LastLine { get; set; } = headerLine;

    public int Changed { get; set; }
}
