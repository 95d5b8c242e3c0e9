using Headroom.Media.Ffmpeg;

namespace Headroom.Media.Keyframes;

/// <summary>The sampler's output: probe data, kept frames in time order, and every cut it saw.</summary>
public sealed record KeyframeResult(
    VideoInfo Video,
    IReadOnlyList<Keyframe> Frames,
    IReadOnlyList<double> SceneCutsSeconds,
    int FramesAnalyzed,
    TimeSpan Elapsed);
