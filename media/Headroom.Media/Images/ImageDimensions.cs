namespace Headroom.Media.Images;

/// <summary>Width and height in pixels.</summary>
public readonly record struct ImageDimensions(int Width, int Height)
{
    public long Pixels => (long)Width * Height;

    public int LongEdge => Math.Max(Width, Height);

    public int ShortEdge => Math.Min(Width, Height);

    public override string ToString() => $"{Width}x{Height}";
}
