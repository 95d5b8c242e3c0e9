namespace Headroom.Compressors.Pipeline;

/// <summary>Guards around every compressor call; defaults follow the best-known peer's (ANCHORS.md).</summary>
public sealed record PipelineOptions
{
    public static PipelineOptions Default { get; } = new();

    /// <summary>Inputs shorter than this (in chars) are returned as they are.</summary>
    public int MinChars { get; init; } = 500;

    /// <summary>Error outputs (<see cref="CompressionRequest.IsError"/>) up to this many UTF-8 bytes stay verbatim.</summary>
    public int ErrorVerbatimBytes { get; init; } = 8 * 1024;

    /// <summary>A result must save at least this fraction of the tokens, else the original is returned.</summary>
    public double MinSavedFraction { get; init; } = 0.10;

    /// <summary>
    /// Per-call budget in CPU time of the compressing thread (so a loaded machine decides like a quiet one);
    /// past it the original is returned.
    /// </summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Wall time a call may take however little CPU it got, as a multiple of <see cref="TimeBudget"/>.</summary>
    public double WallCapFactor { get; init; } = 10;
}
