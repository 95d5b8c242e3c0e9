namespace Headroom.Compressors.Diff;

/// <summary>One file section of a unified diff: header line indices, hunks, and how many lines
/// it adds and removes.</summary>
internal sealed class DiffFile(string path, int firstLine)
{
    public string Path { get; } = path;

    public int FirstLine { get; } = firstLine;

    public int LastLine { get; set; } = firstLine;

    public List<DiffHunk> Hunks { get; } = [];

    public bool Binary { get; set; }

    public int Changed => Hunks.Sum(h => h.Changed);
}
