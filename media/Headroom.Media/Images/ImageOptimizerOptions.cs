namespace Headroom.Media.Images;

/// <summary>Knobs for <see cref="ImageOptimizer"/>.</summary>
public sealed record ImageOptimizerOptions
{
    public static ImageOptimizerOptions Default { get; } = new();

    /// <summary>Cap on the output long edge below the provider's optimum (null: provider optimum).</summary>
    public int? MaxLongEdge { get; init; }

    /// <summary>ffmpeg mjpeg quality, 2 (best) to 31.</summary>
    public int JpegQuality { get; init; } = 3;

    /// <summary>Images larger than this are left alone (the provider will reject them anyway).</summary>
    public long MaxInputBytes { get; init; } = 64L * 1024 * 1024;
}
