namespace Headroom.Media.Ffmpeg;

/// <summary>What one finished ffmpeg/ffprobe process left behind.</summary>
internal sealed record FfmpegResult(int ExitCode, string StandardError, byte[] StandardOutput);
