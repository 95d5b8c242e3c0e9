namespace Headroom.Compressors.Spans;

/// <summary>
/// <see cref="Span"/> lifted to UTF-8 byte offsets: output bytes [OutStart, OutEnd) and, for
/// Kept, the original bytes [SrcStart, SrcEnd) they are a copy of (Summary and Marker: the
/// original range they stand for, or -1/-1).
/// </summary>
public readonly record struct ByteSpan(SpanKind Kind, int OutStart, int OutEnd, int SrcStart, int SrcEnd);
