namespace Headroom.Media.Images;

/// <summary>What <see cref="ImageOptimizer"/> did with an image; everything but <see cref="Downscaled"/> leaves it untouched.</summary>
public enum ImageRewriteOutcome
{
    /// <summary>Replaced by a smaller, token-optimal encoding.</summary>
    Downscaled,

    /// <summary>Already at or below the provider's token-optimal size (never upscaled).</summary>
    WithinOptimalSize,

    /// <summary>Not a PNG, JPEG, GIF or WebP, or the header is unreadable.</summary>
    UnsupportedFormat,

    /// <summary>Animated GIF, PNG or WebP: frames would be lost.</summary>
    Animated,

    /// <summary>The re-encoding would save neither tokens nor bytes.</summary>
    NotSmaller,

    /// <summary>The base64 text does not decode.</summary>
    InvalidBase64,

    /// <summary>Larger than <see cref="ImageOptimizerOptions.MaxInputBytes"/>.</summary>
    TooLarge,

    /// <summary>The header declares more pixels than <see cref="ImageOptimizerOptions.MaxPixels"/>: refused before decoding.</summary>
    OverPixelBudget,

    /// <summary>Decoding and re-encoding did not finish within <see cref="ImageOptimizerOptions.TimeBudget"/>.</summary>
    TimedOut,

    /// <summary>The image could not be decoded or encoded (corrupt, truncated, or the header lies).</summary>
    EncodeFailed,
}
