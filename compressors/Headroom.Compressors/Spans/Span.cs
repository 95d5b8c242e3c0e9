namespace Headroom.Compressors.Spans;

/// <summary>
/// One range of compressed output and where it came from. For <see cref="SpanKind.Kept"/> the
/// source range has the same length and content as the output range; for Summary and Marker the
/// source range is what it stands for (or -1/-1 when it stands for nothing in particular).
/// </summary>
public readonly record struct Span(SpanKind Kind, int OutStart, int OutEnd, int SrcStart, int SrcEnd);
