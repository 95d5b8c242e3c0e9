using Headroom.Media.Keyframes;

namespace Headroom.Media.Tests.Keyframes;

/// <summary>The selection logic alone, over synthetic thumbnails (no ffmpeg).</summary>
public sealed class SceneAnalyzerTests
{
    private const double Fps = 5;

    [Fact]
    public void Static_KeepsOneFrame()
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
        Assert.Equal([0, 1, 3], analyzer.Complete().Select(f => SceneOf(f.TimestampSeconds, 0, 2, 4, 6)));
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
    public void SlowPan_NoCut_AtMostTwoFrames_TheSecondAContentChange()
    {
        // A picture sliding by one pixel per frame: never a cut, yet after a while a different view.
        var analyzer = Run(Enumerable.Range(0, 60).Select(i => Shifted(Pattern(9), i)));

        Assert.Empty(analyzer.Cuts);
        var kept = analyzer.Complete();
        Assert.Equal(2, kept.Count);
        Assert.Contains(kept, f => f.Reason == KeyframeReason.ContentChange);
    }

    [Fact]
    public void ContinuousZoom_NoCut_AtMostTwoFrames()
    {
        // Zooming into a pattern for 12 s: every frame differs from the last, none is a new scene.
        var analyzer = Run(Enumerable.Range(0, 60).Select(i => Zoomed(4, 1 + (i * 0.05))));

        Assert.Empty(analyzer.Cuts);
        Assert.InRange(analyzer.Complete().Count, 1, 2);
    }

    [Fact]
    public void StaticSceneWithSmallMovingPart_KeepsOneFrame()
    {
        // A factory camera: the hall stands still, a small part moves across it.
        var hall = Pattern(6);
        var analyzer = Run(Enumerable.Range(0, 100).Select(i => WithBox(hall, 2 + (i % 24), 20, 4)));

        Assert.Single(analyzer.Complete());
    }

    [Fact]
    public void FadeBetweenScenes_NoHardCut_BothScenesKept()
    {
        // Two unrelated pictures (the smooth test patterns of one family align under a shift, as a pan would).
        var a = Pattern(1);
        var b = Zoomed(7, 2.5);
        var fade = Enumerable.Range(1, 9).Select(k => Blend(a, b, k / 10.0));
        var frames = Repeat(a, 15).Concat(fade).Concat(Repeat(b, 15));

        var analyzer = Run(frames);

        var kept = analyzer.Complete();
        Assert.Equal(2, kept.Count);
        Assert.InRange(kept[0].TimestampSeconds, 0, 2.8);
        Assert.InRange(kept[1].TimestampSeconds, 4.8, 7.8);
    }

    [Fact]
    public void Budget_CapsFramesPerStartedMinute_KeepingTheFirstScene()
    {
        // 20 distinct scenes in 40 s: one started minute, six frames.
        var frames = Enumerable.Range(0, 20).SelectMany(s => Repeat(Pattern(100 + s), 10));

        var analyzer = Run(frames);

        Assert.Equal(19, analyzer.Cuts.Count);
        var kept = analyzer.Complete();
        Assert.Equal(6, kept.Count);
        Assert.Equal(KeyframeReason.First, kept[0].Reason);
        Assert.InRange(kept[0].TimestampSeconds, 0, 1.8);
    }

    [Fact]
    public void MaxFrames_KeepsTheFirstAndTheMostDistinctScenes_InTimeOrder()
    {
        var options = new KeyframeOptions { MaxFrames = 3 };
        var frames = Repeat(Solid(100, 100, 100), 10)
            .Concat(Repeat(Solid(180, 100, 100), 10))   // close to the first
            .Concat(Repeat(Solid(255, 255, 255), 10))   // farthest from the first
            .Concat(Repeat(Solid(0, 0, 0), 10))         // farthest from both
            .Concat(Repeat(Solid(0, 100, 0), 10));

        var analyzer = Run(frames, options);

        Assert.Equal(4, analyzer.Cuts.Count);
        Assert.Equal([0, 2, 3], analyzer.Complete().Select(f => SceneOf(f.TimestampSeconds, 0, 2, 4, 6, 8)));
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

    private static int SceneOf(double timestamp, params double[] starts) => starts.Count(s => s <= timestamp + 1e-9) - 1;

    private static byte[] Blend(byte[] a, byte[] b, double t)
    {
        var result = new byte[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            result[i] = (byte)Math.Round((a[i] * (1 - t)) + (b[i] * t));
        }

        return result;
    }

    private static byte[] WithBox(byte[] frame, int x0, int y0, int size)
    {
        var result = (byte[])frame.Clone();
        for (var y = y0; y < y0 + size; y++)
        {
            for (var x = x0; x < x0 + size; x++)
            {
                var i = ((y * Thumbnail.Side) + x) * 3;
                (result[i], result[i + 1], result[i + 2]) = (250, 250, 20);
            }
        }

        return result;
    }

    /// <summary>Concentric rings and spokes seen through a lens that magnifies by <paramref name="zoom"/>.</summary>
    private static byte[] Zoomed(int seed, double zoom)
    {
        var frame = new byte[Thumbnail.ByteLength];
        for (var y = 0; y < Thumbnail.Side; y++)
        {
            for (var x = 0; x < Thumbnail.Side; x++)
            {
                var (dx, dy) = ((x - 15.5) / zoom, (y - 15.5) / zoom);
                var r = Math.Sqrt((dx * dx) + (dy * dy));
                var v = 127 + (120 * Math.Sin((r * 1.3) + seed) * Math.Cos(Math.Atan2(dy, dx) * 5));
                var i = ((y * Thumbnail.Side) + x) * 3;
                (frame[i], frame[i + 1], frame[i + 2]) = ((byte)v, (byte)(255 - v), 90);
            }
        }

        return frame;
    }

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
