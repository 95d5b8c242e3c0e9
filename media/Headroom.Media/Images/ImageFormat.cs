namespace Headroom.Media.Images;

/// <summary>Image container formats recognised from their first bytes.</summary>
public enum ImageFormat
{
    Unknown,
    Png,
    Jpeg,
    Gif,
    WebP,
}
