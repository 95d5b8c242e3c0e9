using System.Numerics;

namespace Headroom.Media.Keyframes;

/// <summary>
/// 64-bit pHash: DCT of the 32×32 luma thumbnail, the 8×8 lowest frequencies compared with their
/// median. Robust to noise, compression and small shifts; Hamming distance measures similarity.
/// </summary>
internal static class PerceptualHash
{
    private const int N = Thumbnail.Side;
    private const int K = 8;
    private static readonly double[] Cosines = BuildCosines();

    public static ulong Compute(ReadOnlySpan<byte> rgbThumbnail)
    {
        Span<double> gray = stackalloc double[N * N];
        Thumbnail.ToGray(rgbThumbnail, gray);

        // Separable DCT-II, only the K lowest frequencies in each direction.
        Span<double> rows = stackalloc double[N * K];
        for (var y = 0; y < N; y++)
        {
            for (var u = 0; u < K; u++)
            {
                double s = 0;
                for (var x = 0; x < N; x++)
                {
                    s += Cosines[(u * N) + x] * gray[(y * N) + x];
                }

                rows[(y * K) + u] = s;
            }
        }

        Span<double> coefficients = stackalloc double[K * K];
        for (var v = 0; v < K; v++)
        {
            for (var u = 0; u < K; u++)
            {
                double s = 0;
                for (var y = 0; y < N; y++)
                {
                    s += Cosines[(v * N) + y] * rows[(y * K) + u];
                }

                coefficients[(v * K) + u] = s;
            }
        }

        // Median without the DC term, which only carries mean brightness.
        Span<double> sorted = stackalloc double[(K * K) - 1];
        coefficients[1..].CopyTo(sorted);
        sorted.Sort();
        var median = (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

        ulong hash = 0;
        for (var i = 1; i < K * K; i++)
        {
            if (coefficients[i] > median)
            {
                hash |= 1UL << i;
            }
        }

        return hash;
    }

    public static int Distance(ulong a, ulong b) => BitOperations.PopCount(a ^ b);

    private static double[] BuildCosines()
    {
        var table = new double[K * N];
        for (var u = 0; u < K; u++)
        {
            for (var x = 0; x < N; x++)
            {
                table[(u * N) + x] = Math.Cos((2 * x + 1) * u * Math.PI / (2 * N));
            }
        }

        return table;
    }
}
