namespace Headroom.Bench.Media;

/// <summary>One scene of a generated clip: a lavfi source, filters bringing it to 1920×1080, and its length.</summary>
/// <param name="SameAs">Index of an earlier segment showing the same picture, or null.</param>
internal sealed record KeyframeClipSegment(string Label, string Source, string Filters, double Seconds, int? SameAs = null);
