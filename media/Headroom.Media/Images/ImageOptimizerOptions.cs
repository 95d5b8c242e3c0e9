namespace Headroom.Media.Images;

/// <summary>Knobs for <see cref="ImageOptimizer"/>.</summary>
public sealed record ImageOptimizerOptions
{
    public static ImageOptimizerOptions Default { get; } = new();

    /// <summary>Cap on the output long edge below the provider's optimum (null: provider optimum).</summary>
    public int? MaxLongEdge { get; init; }

    /// <summary>JPEG quality, 1 to 100.</summary>
    public int JpegQuality { get; init; } = 90;

    /// <summary>Images larger than this are left alone (the provider will reject them anyway).</summary>
    public long MaxInputBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Largest image decoded, in pixels, judged from the header before any decoder runs (a 746 KB PNG can
    /// declare 16,000² pixels: 1 GB once decoded). 40 MP covers 8K screenshots and phone photos.
    /// </summary>
    public long MaxPixels { get; init; } = 40_000_000;

    /// <summary>Time allowed to decode, resize and encode one image; past it the image goes as sent.</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(5);
}
