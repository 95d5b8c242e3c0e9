namespace Headroom.Bench.Media;

/// <summary>
/// A generated evaluation clip: its segments (one lavfi source and filter chain each) and how they are joined.
/// The scenes a viewer would name are the segments themselves: that is the ground truth, decided by the recipe,
/// never by the sampler. <see cref="SameAs"/> marks a segment that shows an earlier one again (an A-B-A cut).
/// </summary>
internal sealed record KeyframeClip(string Name, string Description, IReadOnlyList<KeyframeClipSegment> Segments, double FadeSeconds = 0)
{
    public double DurationSeconds => Segments.Sum(s => s.Seconds) - (FadeSeconds * (Segments.Count - 1));

    /// <summary>Start and end of each segment in the joined clip (a fade overlaps its neighbours by <see cref="FadeSeconds"/>).</summary>
    public IReadOnlyList<(double Start, double End)> Spans()
    {
        var spans = new List<(double, double)>();
        var at = 0.0;
        foreach (var segment in Segments)
        {
            spans.Add((at, at + segment.Seconds));
            at += segment.Seconds - FadeSeconds;
        }

        return spans;
    }
}
