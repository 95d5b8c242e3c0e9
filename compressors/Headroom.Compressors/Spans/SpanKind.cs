namespace Headroom.Compressors.Spans;

public enum SpanKind : byte
{
    /// <summary>Output text copied verbatim from the source range.</summary>
    Kept,

    /// <summary>Text the compressor wrote (a collapsed template, a count, a table header).</summary>
    Summary,

    /// <summary>A retrieval marker.</summary>
    Marker,
}
