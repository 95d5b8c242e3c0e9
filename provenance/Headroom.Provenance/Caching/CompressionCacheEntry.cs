using Headroom.Compressors.Spans;

namespace Headroom.Provenance.Caching;

/// <summary>A stored compression: the exact output bytes and the span map that explains them.</summary>
public sealed record CompressionCacheEntry(ReadOnlyMemory<byte> Output, IReadOnlyList<Span> Spans);
