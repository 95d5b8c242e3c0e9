namespace Headroom.Media.Keyframes;

/// <summary>One kept frame: its position in the output, its time in the video, and the encoded JPEG.</summary>
public sealed record Keyframe(
    int Index,
    double TimestampSeconds,
    KeyframeReason Reason,
    int Width,
    int Height,
    int Tokens,
    string MediaType,
    ReadOnlyMemory<byte> Bytes)
{
    /// <summary>"first", "scene-cut" or "content-change", as the CLI and HTTP answers spell it.</summary>
    public string ReasonName => Reason switch
    {
        KeyframeReason.First => "first",
        KeyframeReason.SceneCut => "scene-cut",
        _ => "content-change",
    };
}
