namespace Headroom.Media.Ffmpeg;

/// <summary>Why a media operation failed; callers map these to exit codes or HTTP statuses.</summary>
public enum MediaErrorKind
{
    /// <summary><c>ffmpeg</c> or <c>ffprobe</c> could not be found or started.</summary>
    FfmpegMissing,

    /// <summary>The input is not a readable video or image (corrupt, truncated, unknown format).</summary>
    InvalidMedia,

    /// <summary>The input has no video stream.</summary>
    NoVideoStream,

    /// <summary>ffmpeg did not finish within the configured timeout; its process tree was killed.</summary>
    Timeout,

    /// <summary>ffmpeg exited with an error on an input it had accepted.</summary>
    ProcessFailed,
}
