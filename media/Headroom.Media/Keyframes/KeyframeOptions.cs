using Headroom.Media.Images;

namespace Headroom.Media.Keyframes;

/// <summary>
/// How to pick and encode keyframes. The thresholds say what counts as a scene and as a duplicate; the
/// budget (<see cref="FramesPerMinute"/>, <see cref="MaxFrames"/>) says how many frames may be sent.
/// </summary>
public sealed record KeyframeOptions
{
    public static KeyframeOptions Default { get; } = new();

    /// <summary>Provider whose token-optimal frame size is used.</summary>
    public MediaProvider Provider { get; init; } = MediaProvider.Anthropic;

    /// <summary>Hard cap on kept frames, whatever the duration.</summary>
    public int MaxFrames { get; init; } = 32;

    /// <summary>Frames allowed per minute of video (at least one frame for any clip).</summary>
    public double FramesPerMinute { get; init; } = 6;

    /// <summary>The two frames of one scene are at least this far apart, in seconds.</summary>
    public double MinIntervalSeconds { get; init; } = 1.0;

    /// <summary>A picture that changes less than this (0–1) from frame to frame is steady.</summary>
    public double SteadyMaxDifference { get; init; } = 0.02;

    /// <summary>A gradual change (fade, camera move) starts a new scene once the picture stays steady this long.</summary>
    public double SteadySeconds { get; init; } = 1.0;

    /// <summary>Frames per second analysed (capped at the source rate).</summary>
    public double AnalysisFps { get; init; } = 5;

    /// <summary>Frame-to-frame difference (0–1) at or above which a cut is possible.</summary>
    public double SceneCutThreshold { get; init; } = 0.08;

    /// <summary>A cut must also exceed the recent mean difference by this factor (so steady motion is no cut).</summary>
    public double SceneCutAdaptiveRatio { get; init; } = 3.0;

    /// <summary>Difference (0–1) from the last kept frame at which gradual change earns a new frame.</summary>
    public double ContentChangeThreshold { get; init; } = 0.15;

    /// <summary>
    /// Largest translation, in 32-px thumbnail pixels, under which the reference frame is matched before
    /// judging gradual change (12 = 37% of the view: a pan earns a new frame once about 40% of the view is new).
    /// </summary>
    public int MaxAlignmentShift { get; init; } = 12;

    /// <summary>
    /// pHash Hamming distance from the last kept frame at which gradual change earns a new frame, provided the
    /// pixels also moved by two thirds of <see cref="ContentChangeThreshold"/>.
    /// </summary>
    public int ContentChangeHashDistance { get; init; } = 22;

    /// <summary>A candidate within this pHash distance (and <see cref="DuplicateMaxDifference"/>) of a kept frame is a duplicate.</summary>
    public int DuplicateHashDistance { get; init; } = 10;

    /// <summary>
    /// A candidate within this difference and <see cref="DuplicateHashDistance"/> of a kept frame, or within half
    /// this difference alone, is a duplicate.
    /// </summary>
    public double DuplicateMaxDifference { get; init; } = 0.05;

    /// <summary>Cap on the frame long edge below the provider's video-frame size (null: that size).</summary>
    public int? MaxLongEdge { get; init; }

    /// <summary>ffmpeg mjpeg quality, 2 (best) to 31.</summary>
    public int JpegQuality { get; init; } = 4;
}
