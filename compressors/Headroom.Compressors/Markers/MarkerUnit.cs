namespace Headroom.Compressors.Markers;

/// <summary>What a marker counts: lines for line-oriented text, items for JSON arrays.</summary>
public enum MarkerUnit
{
    Lines,
    Items,
}
