namespace Headroom.Media.Keyframes;

/// <summary>A frame the analyzer chose: its time, why, and how strongly (for trimming to the frame cap).</summary>
internal sealed record SelectedFrame(int AnalysisIndex, double TimestampSeconds, KeyframeReason Reason, double Score);
