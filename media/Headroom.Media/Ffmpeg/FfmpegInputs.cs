namespace Headroom.Media.Ffmpeg;

/// <summary>
/// How every ffmpeg/ffprobe input is opened. Media comes from callers, so ffmpeg must never follow it to the
/// network or to other local files: only the <c>file</c> and <c>pipe</c> protocols are allowed, only container
/// demuxers (no playlists such as HLS or concat, which open further URLs), and the path is absolute, so a
/// name like <c>http:x</c> is never read as a protocol.
/// </summary>
internal static class FfmpegInputs
{
    /// <summary>Demuxers a video may be read with: containers, never playlist or concat formats.</summary>
    public const string VideoDemuxers = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,flv,mpegts,mpeg,ogg,gif,h264,hevc,ivf,yuv4mpegpipe,rawvideo";

    public const string InputArguments = "-protocol_whitelist file,pipe -format_whitelist " + VideoDemuxers;

    /// <summary>ffprobe takes the same input restrictions.</summary>
    public const string ProbeArguments = InputArguments;

    /// <summary>The path as ffmpeg must see it: absolute (so no <c>name:</c> prefix is taken for a protocol).</summary>
    public static string PathOf(string path) => Path.GetFullPath(path);
}
