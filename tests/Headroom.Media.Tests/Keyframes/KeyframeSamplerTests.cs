using Headroom.Media.Ffmpeg;
using Headroom.Media.Images;
using Headroom.Media.Keyframes;

namespace Headroom.Media.Tests.Keyframes;

public sealed class KeyframeSamplerTests : IClassFixture<KeyframeSamplerTests.Videos>
{
    private readonly Videos _videos;

    public KeyframeSamplerTests(Videos videos)
    {
        _videos = videos;
    }

    [Fact]
    public async Task Sample_FindsEveryCut_KeepsOneFramePerDistinctScene()
    {
        var result = await new KeyframeSampler(_videos.Media.Tools).SampleAsync(_videos.Scenes);

        // Cuts at 3, 6, 9, 12, 15 s (analysis at 5 fps, so within one analysis step).
        Assert.Equal(Videos.CutTimes.Length, result.SceneCutsSeconds.Count);
        foreach (var (expected, actual) in Videos.CutTimes.Zip(result.SceneCutsSeconds))
        {
            Assert.InRange(actual, expected - 0.01, expected + 0.21);
        }

        // Kept, one frame from inside each: testsrc2 (first), smptebars, static red, rgbtestsrc, noisy yuvtestsrc.
        // Not kept: the noisy smptebars at 9 s, a near duplicate of the one at 3 s.
        var scenes = result.Frames.Select(f => Videos.CutTimes.Count(c => c <= f.TimestampSeconds)).ToArray();
        Assert.Equal([0, 1, 2, 4, 5], scenes);
        Assert.Equal(KeyframeReason.First, result.Frames[0].Reason);
        Assert.All(result.Frames.Skip(1), f => Assert.Equal(KeyframeReason.SceneCut, f.Reason));
        Assert.Equal(Enumerable.Range(0, 5), result.Frames.Select(f => f.Index));
        Assert.Equal(6, result.SceneStartsSeconds.Count);
    }

    [Fact]
    public async Task Sample_KeptFramesShowTheirScene_AsTokenOptimalJpeg()
    {
        var result = await new KeyframeSampler(_videos.Media.Tools).SampleAsync(_videos.Scenes);

        var red = result.Frames[2];
        Assert.Equal("image/jpeg", red.MediaType);
        Assert.Equal(0xFF, red.Bytes.Span[0]);
        Assert.Equal(0xD8, red.Bytes.Span[1]);
        var header = ImageHeader.TryRead(red.Bytes.Span)!;
        Assert.Equal(new ImageDimensions(red.Width, red.Height), header.Size);

        // Source 320x180 is below every provider limit: sent as is, never upscaled.
        Assert.Equal(320, red.Width);
        Assert.Equal(180, red.Height);
        Assert.Equal(ImageTokenRules.Anthropic.Tokens(new ImageDimensions(320, 180)), red.Tokens);

        var rgb = _videos.Media.DecodeRgb(red.Bytes.ToArray());
        var center = ((90 * 320) + 160) * 3;
        Assert.InRange(rgb[center], 200, 255);
        Assert.InRange(rgb[center + 1], 0, 60);
        Assert.InRange(rgb[center + 2], 0, 60);
    }

    [Fact]
    public async Task Sample_StaticAndNoisyStretches_KeepOneFrameEach()
    {
        var result = await new KeyframeSampler(_videos.Media.Tools).SampleAsync(_videos.StaticAndNoise);

        Assert.Equal(2, result.Frames.Count);
        Assert.InRange(result.Frames[0].TimestampSeconds, 0, 3.9);
        Assert.InRange(result.Frames[1].TimestampSeconds, 4, 8);
        Assert.Single(result.SceneCutsSeconds);
    }

    [Fact]
    public async Task Sample_HonoursMaxFrames_KeepingTheFirstScene()
    {
        var options = new KeyframeOptions { MaxFrames = 3 };
        var result = await new KeyframeSampler(_videos.Media.Tools).SampleAsync(_videos.Scenes, options);

        Assert.Equal(3, result.Frames.Count);
        Assert.InRange(result.Frames[0].TimestampSeconds, 0, 3);
        Assert.True(result.Frames.Zip(result.Frames.Skip(1)).All(p => p.First.TimestampSeconds < p.Second.TimestampSeconds));
        Assert.Equal([0, 1, 2], result.Frames.Select(f => f.Index));
    }

    [Fact]
    public async Task Sample_HonoursFramesPerMinute()
    {
        var options = new KeyframeOptions { FramesPerMinute = 2 };
        var result = await new KeyframeSampler(_videos.Media.Tools).SampleAsync(_videos.Scenes, options);

        Assert.Equal(2, result.Frames.Count);
    }

    [Fact]
    public async Task Sample_OpenAIProvider_ScalesLargeVideoToTwoTiles()
    {
        var options = new KeyframeOptions { Provider = MediaProvider.OpenAI };
        var result = await new KeyframeSampler(_videos.Media.Tools).SampleAsync(_videos.Large, options);

        var frame = Assert.Single(result.Frames);
        Assert.Equal(ImageTokenRules.OpenAI.VideoFrameSize(new ImageDimensions(1920, 1080)), new ImageDimensions(frame.Width, frame.Height));
        Assert.Equal(ImageHeader.TryRead(frame.Bytes.Span)!.Size, new ImageDimensions(frame.Width, frame.Height));
        // 1920x1080 → 910x512: exactly 2×1 tiles, 85 + 170×2 tokens (a still image would get 1365x768, 6 tiles).
        Assert.Equal(new ImageDimensions(910, 512), new ImageDimensions(frame.Width, frame.Height));
        Assert.Equal(85 + (170 * 2), frame.Tokens);
    }

    [Fact]
    public async Task Sample_Probe_ReportsDurationSizeFpsCodec()
    {
        var result = await new KeyframeSampler(_videos.Media.Tools).SampleAsync(_videos.Scenes);

        Assert.Equal(18, result.Video.DurationSeconds, 1);
        Assert.Equal(320, result.Video.Width);
        Assert.Equal(180, result.Video.Height);
        Assert.Equal(10, result.Video.FramesPerSecond, 3);
        Assert.Equal("h264", result.Video.Codec);
        Assert.Equal(90, result.FramesAnalyzed);
    }

    public sealed class Videos : IDisposable
    {
        public static readonly double[] CutTimes = [3, 6, 9, 12, 15];

        public Videos()
        {
            Media = new TestMedia();
            Scenes = Media.Video("scenes.mp4", 320, 180, 10,
            [
                ("testsrc2", 3),
                ("smptebars", 3),
                ("color=c=red", 3),
                ("smptebars,noise=alls=14:allf=t", 3),
                ("rgbtestsrc", 3),
                ("yuvtestsrc,noise=alls=10:allf=t", 3),
            ]);
            StaticAndNoise = Media.Video("static.mp4", 320, 180, 10,
            [
                ("color=c=blue,drawbox=x=40:y=40:w=100:h=60:c=yellow:t=fill", 4),
                ("pal75bars,noise=alls=12:allf=t", 4),
            ]);
            Large = Media.Video("large.mp4", 1920, 1080, 5, [("smptehdbars", 2)]);
        }

        public TestMedia Media { get; }

        public string Scenes { get; }

        public string StaticAndNoise { get; }

        public string Large { get; }

        public void Dispose() => Media.Dispose();
    }
}
