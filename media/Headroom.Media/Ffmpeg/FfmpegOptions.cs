namespace Headroom.Media.Ffmpeg;

/// <summary>Where to find ffmpeg and how long one invocation may run (configuration <c>Headroom:Media</c>).</summary>
public sealed record FfmpegOptions
{
    public static FfmpegOptions Default { get; } = new();

    /// <summary>
    /// Path to the <c>ffmpeg</c> executable or to the directory holding <c>ffmpeg</c> and
    /// <c>ffprobe</c> (<c>Headroom:Media:FfmpegPath</c>). Null: search PATH.
    /// </summary>
    public string? FfmpegPath { get; init; }

    /// <summary>Path to <c>ffprobe</c>; null: next to <see cref="FfmpegPath"/>, else PATH.</summary>
    public string? FfprobePath { get; init; }

    /// <summary>Upper bound for one ffmpeg/ffprobe process; on expiry the process tree is killed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}
