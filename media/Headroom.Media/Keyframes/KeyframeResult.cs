using Headroom.Media.Ffmpeg;

namespace Headroom.Media.Keyframes;

/// <summary>The sampler's output: probe data, kept frames in time order, every cut it saw and where each scene starts.</summary>
public sealed record KeyframeResult(
    VideoInfo Video,
    IReadOnlyList<Keyframe> Frames,
    IReadOnlyList<double> SceneCutsSeconds,
    int FramesAnalyzed,
    TimeSpan Elapsed)
{
    /// <summary>Start of each scene (hard cuts and settled gradual changes), seconds; the first is 0.</summary>
    public IReadOnlyList<double> SceneStartsSeconds { get; init; } = [];
}
