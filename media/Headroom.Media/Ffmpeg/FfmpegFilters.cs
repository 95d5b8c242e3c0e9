using System.Globalization;
using Headroom.Media.Images;

namespace Headroom.Media.Ffmpeg;

/// <summary>Filter-graph fragments shared by the video and image paths.</summary>
internal static class FfmpegFilters
{
    /// <summary>High-quality downscale to an exact size with square pixels.</summary>
    public static string ScaleTo(ImageDimensions size) =>
        string.Create(CultureInfo.InvariantCulture, $"scale={size.Width}:{size.Height}:flags=lanczos+accurate_rnd+full_chroma_int,setsar=1");
}
