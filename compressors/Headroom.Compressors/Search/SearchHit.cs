namespace Headroom.Compressors.Search;

/// <summary>One line of grep/rg output: its line range in the source, the file it names (null for
/// separators and other lines), whether it is a match (not a context line) and where the matched
/// text starts.</summary>
internal sealed record SearchHit(int Index, int Start, int End, int Next, string? Path, bool IsMatch, int TextStart);
