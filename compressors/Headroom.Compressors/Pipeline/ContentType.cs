namespace Headroom.Compressors.Pipeline;

/// <summary>What a block of tool output looks like; chooses the compressor.</summary>
public enum ContentType
{
    Text,
    Json,
    Log,
    Search,
    Diff,
    Code,
    Html,
    Mixed,
}
