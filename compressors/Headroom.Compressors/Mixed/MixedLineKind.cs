namespace Headroom.Compressors.Mixed;

/// <summary>What a single line outside fences looks like, for grouping runs into sections.</summary>
internal enum MixedLineKind
{
    Other,
    Log,
    Search,
    Diff,
}
