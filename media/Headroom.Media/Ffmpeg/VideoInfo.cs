namespace Headroom.Media.Ffmpeg;

/// <summary>What ffprobe says about a video's first video stream. Width and height are as displayed (rotation applied).</summary>
public sealed record VideoInfo(
    double DurationSeconds,
    int Width,
    int Height,
    double FramesPerSecond,
    string Codec,
    long? FrameCount,
    int Rotation);
