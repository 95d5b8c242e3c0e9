namespace Headroom.Compressors.Markers;

/// <summary>A parsed retrieval marker: <see cref="Omitted"/> of <see cref="Total"/> units were
/// left out; <see cref="Hash"/> names the stored original.</summary>
public sealed record Marker(long Omitted, long Total, MarkerUnit Unit, string? Detail, string Hash);
