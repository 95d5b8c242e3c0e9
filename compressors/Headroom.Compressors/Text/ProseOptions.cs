namespace Headroom.Compressors.Text;

/// <summary>
/// Knobs of the prose compressor. <see cref="TargetRatio"/> is the documented ratio knob: the share of
/// the input's tokens to keep (0.2 = 80% fewer tokens), multiplied by the request's KeepFactor.
/// </summary>
internal sealed record ProseOptions
{
    public static ProseOptions Default { get; } = new();

    /// <summary>Share of input tokens to keep, marker included (default 0.2).</summary>
    public double TargetRatio { get; init; } = 0.2;

    /// <summary>Optional thinning: kept sentences scoring below <see cref="ThinBelowScore"/> lose their
    /// most frequent words (see <see cref="SentenceThinner"/>). Off by default: thinned text is no longer verbatim.</summary>
    public bool Thin { get; init; }

    /// <summary>Relevance below which a kept sentence is thinned (scores are roughly 0..1.3).</summary>
    public double ThinBelowScore { get; init; } = 0.3;

    /// <summary>o200k ids below this count as "frequent" words for thinning.</summary>
    public int FrequentRank { get; init; } = 4000;

    /// <summary>Texts with fewer sentences pass through.</summary>
    public int MinSentences { get; init; } = 6;
}
