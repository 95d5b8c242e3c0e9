using Headroom.Media.Keyframes;

namespace Headroom.Media.Tests.Keyframes;

/// <summary>The selection logic alone, over synthetic thumbnails (no ffmpeg).</summary>
public sealed class SceneAnalyzerTests
{
    private const double Fps = 5;

    [Fact]
    public void Static_KeepsOnlyTheFirstFrame()
    {
        var analyzer = Run(Enumerable.Repeat(Solid(40, 80, 120), 50));

        var frame = Assert.Single(analyzer.Complete());
        Assert.Equal(KeyframeReason.First, frame.Reason);
        Assert.Empty(analyzer.Cuts);
    }

    [Fact]
    public void HardCuts_EachFound_ReturnToEarlierScene_NotKeptTwice()
    {
        var a = Pattern(1);
        var b = Pattern(2);
        var c = Solid(200, 30, 30);
        var frames = Repeat(a, 10).Concat(Repeat(b, 10)).Concat(Repeat(a, 10)).Concat(Repeat(c, 10));

        var analyzer = Run(frames);

        Assert.Equal([2.0, 4.0, 6.0], analyzer.Cuts);
        Assert.Equal([0.0, 2.0, 6.0], analyzer.Complete().Select(f => f.TimestampSeconds));
    }

    [Fact]
    public void NoisyNearDuplicates_KeepOneFrame()
    {
        var random = new Random(3);
        var a = Pattern(5);
        var analyzer = Run(Enumerable.Range(0, 40).Select(_ => Noisy(a, random, 6)));

        Assert.Single(analyzer.Complete());
        Assert.Empty(analyzer.Cuts);
    }

    [Fact]
    public void SlowPan_NoCut_ButContentChangeFrames()
    {
        // A picture sliding by one pixel per frame: never a cut, yet after a while a different view.
        var analyzer = Run(Enumerable.Range(0, 60).Select(i => Shifted(Pattern(9), i)));

        Assert.Empty(analyzer.Cuts);
        var kept = analyzer.Complete();
        Assert.True(kept.Count >= 2);
        Assert.All(kept.Skip(1), f => Assert.Equal(KeyframeReason.ContentChange, f.Reason));
    }

    [Fact]
    public void MinInterval_DelaysAPersistingScene_ToTheFirstAllowedFrame()
    {
        var options = new KeyframeOptions { MinIntervalSeconds = 3 };
        var frames = Repeat(Pattern(1), 5).Concat(Repeat(Pattern(2), 20));

        var analyzer = Run(frames, options);

        Assert.Equal([0.0, 3.0], analyzer.Complete().Select(f => f.TimestampSeconds));
        Assert.Equal([1.0], analyzer.Cuts);
    }

    [Fact]
    public void MaxFrames_KeepsFirstAndStrongestCuts_InTimeOrder()
    {
        var options = new KeyframeOptions { MaxFrames = 3 };
        var frames = Repeat(Solid(100, 100, 100), 10)
            .Concat(Repeat(Solid(180, 100, 100), 10))   // weak cut
            .Concat(Repeat(Solid(255, 255, 255), 10))   // strong cut
            .Concat(Repeat(Solid(0, 0, 0), 10))         // strongest cut
            .Concat(Repeat(Solid(0, 100, 0), 10));      // weak cut

        var analyzer = Run(frames, options);

        Assert.Equal(4, analyzer.Cuts.Count);
        Assert.Equal([0.0, 4.0, 6.0], analyzer.Complete().Select(f => f.TimestampSeconds));
    }

    [Fact]
    public void PerceptualHash_SameUnderNoise_DifferentAcrossPictures()
    {
        var random = new Random(1);
        var a = Pattern(1);

        Assert.True(PerceptualHash.Distance(PerceptualHash.Compute(a), PerceptualHash.Compute(Noisy(a, random, 8))) <= 6);
        Assert.True(PerceptualHash.Distance(PerceptualHash.Compute(a), PerceptualHash.Compute(Pattern(2))) >= 16);
    }

    private static SceneAnalyzer Run(IEnumerable<byte[]> frames, KeyframeOptions? options = null)
    {
        var analyzer = new SceneAnalyzer(options ?? KeyframeOptions.Default, Fps);
        var i = 0;
        foreach (var frame in frames)
        {
            analyzer.Push(i++ / Fps, frame);
        }

        return analyzer;
    }

    private static IEnumerable<byte[]> Repeat(byte[] frame, int count) => Enumerable.Repeat(frame, count);

    private static byte[] Solid(byte r, byte g, byte b)
    {
        var frame = new byte[Thumbnail.ByteLength];
        for (var i = 0; i < frame.Length; i += 3)
        {
            (frame[i], frame[i + 1], frame[i + 2]) = (r, g, b);
        }

        return frame;
    }

    /// <summary>A smooth but structured picture (blobs and gradients) per seed.</summary>
    private static byte[] Pattern(int seed)
    {
        var random = new Random(seed);
        var (fx, fy, phase) = (random.NextDouble() * 0.5, random.NextDouble() * 0.5, random.NextDouble() * 6);
        var frame = new byte[Thumbnail.ByteLength];
        for (var y = 0; y < Thumbnail.Side; y++)
        {
            for (var x = 0; x < Thumbnail.Side; x++)
            {
                var v = 127 + (120 * Math.Sin((x * fx) + (y * fy) + phase) * Math.Cos((y * fx) - phase));
                var i = ((y * Thumbnail.Side) + x) * 3;
                frame[i] = (byte)v;
                frame[i + 1] = (byte)(255 - v);
                frame[i + 2] = (byte)((v + (seed * 40)) % 256);
            }
        }

        return frame;
    }

    private static byte[] Shifted(byte[] frame, int by)
    {
        // A wider scene seen through a window moving right: column x shows scene column x + by.
        var result = new byte[frame.Length];
        for (var y = 0; y < Thumbnail.Side; y++)
        {
            for (var x = 0; x < Thumbnail.Side; x++)
            {
                var sx = (x + by) % (Thumbnail.Side * 2);
                var i = ((y * Thumbnail.Side) + x) * 3;
                if (sx < Thumbnail.Side)
                {
                    Array.Copy(frame, ((y * Thumbnail.Side) + sx) * 3, result, i, 3);
                }
                else
                {
                    result[i] = (byte)(sx * 4);
                    result[i + 1] = (byte)(y * 8);
                    result[i + 2] = 30;
                }
            }
        }

        return result;
    }

    private static byte[] Noisy(byte[] frame, Random random, int amplitude)
    {
        var result = new byte[frame.Length];
        for (var i = 0; i < frame.Length; i++)
        {
            result[i] = (byte)Math.Clamp(frame[i] + random.Next(-amplitude, amplitude + 1), 0, 255);
        }

        return result;
    }
}
