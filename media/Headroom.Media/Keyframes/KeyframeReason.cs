namespace Headroom.Media.Keyframes;

/// <summary>Why a frame was kept.</summary>
public enum KeyframeReason
{
    /// <summary>The first frame is always kept.</summary>
    First,

    /// <summary>A hard cut: the frame differs abruptly from the one before it.</summary>
    SceneCut,

    /// <summary>Gradual change (a pan, a new object) took the picture far from the last kept frame.</summary>
    ContentChange,
}
