namespace Headroom.Media.Keyframes;

/// <summary>A tiny RGB frame (<see cref="Side"/>² pixels, rgb24) used for change detection and hashing.</summary>
internal static class Thumbnail
{
    public const int Side = 32;

    public const int ByteLength = Side * Side * 3;

    /// <summary>Mean absolute difference of two thumbnails over all channels, 0 (same) to 1 (black vs white).</summary>
    public static double Difference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("Thumbnails differ in size.", nameof(b));
        }

        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return sum / (255.0 * a.Length);
    }

    /// <summary>Luma (BT.601 weights) of each pixel.</summary>
    public static void ToGray(ReadOnlySpan<byte> rgb, Span<double> gray)
    {
        for (int p = 0, i = 0; p < gray.Length; p++, i += 3)
        {
            gray[p] = (0.299 * rgb[i]) + (0.587 * rgb[i + 1]) + (0.114 * rgb[i + 2]);
        }
    }

    /// <summary>
    /// The smallest mean absolute luma difference of <paramref name="current"/> against <paramref name="reference"/>
    /// over translations of up to <paramref name="maxShift"/> pixels, measured on the overlap. A pan or a shaky
    /// head-mounted camera shows the same content shifted; this tells it from new content.
    /// </summary>
    public static double AlignedDifference(ReadOnlySpan<byte> reference, ReadOnlySpan<byte> current, int maxShift)
    {
        Span<byte> a = stackalloc byte[Side * Side];
        Span<byte> b = stackalloc byte[Side * Side];
        ToGrayBytes(reference, a);
        ToGrayBytes(current, b);
        var best = double.MaxValue;
        for (var dy = -maxShift; dy <= maxShift; dy++)
        {
            for (var dx = -maxShift; dx <= maxShift; dx++)
            {
                long sum = 0;
                var x0 = Math.Max(0, -dx);
                var x1 = Math.Min(Side, Side - dx);
                var y0 = Math.Max(0, -dy);
                var y1 = Math.Min(Side, Side - dy);
                for (var y = y0; y < y1; y++)
                {
                    var rowA = a.Slice((y + dy) * Side, Side);
                    var rowB = b.Slice(y * Side, Side);
                    for (var x = x0; x < x1; x++)
                    {
                        sum += Math.Abs(rowA[x + dx] - rowB[x]);
                    }
                }

                var mean = sum / (255.0 * (x1 - x0) * (y1 - y0));
                if (mean < best)
                {
                    best = mean;
                }
            }
        }

        return best;
    }

    private static void ToGrayBytes(ReadOnlySpan<byte> rgb, Span<byte> gray)
    {
        for (int p = 0, i = 0; p < gray.Length; p++, i += 3)
        {
            gray[p] = (byte)(((77 * rgb[i]) + (150 * rgb[i + 1]) + (29 * rgb[i + 2])) >> 8);
        }
    }
}
