using Headroom.Media.Cost;
using Headroom.Media.Ffmpeg;
using Headroom.Media.Images;
using Headroom.Media.Keyframes;

namespace Headroom.Media.Tests.Cost;

public sealed class MediaCostEstimatorTests
{
    private static readonly VideoInfo Minute1080p = new(60, 1920, 1080, 30, "h264", 1800, 0);

    [Fact]
    public void ForVideo_NaiveIsOneFramePerSecondAtSourceSize_SampledIsTheKeptFrames()
    {
        var size = ImageTokenRules.Anthropic.TargetSize(new ImageDimensions(1920, 1080));
        var tokens = ImageTokenRules.Anthropic.Tokens(size);
        var frames = Enumerable.Range(0, 5).Select(i => Frame(i, size, tokens)).ToList();

        var cost = MediaCostEstimator.ForVideo(Minute1080p, frames, MediaProvider.Anthropic, 3m);

        Assert.Equal(60, cost.ImagesBefore);
        Assert.Equal(5, cost.ImagesAfter);
        Assert.Equal(60L * ImageTokenRules.Anthropic.Tokens(new ImageDimensions(1920, 1080)), cost.TokensBefore);
        Assert.Equal(5L * tokens, cost.TokensAfter);
        Assert.Equal(Math.Round(cost.TokensBefore * 3m / 1_000_000m, 6), cost.UsdBefore);
        Assert.Equal(Math.Round(cost.TokensAfter * 3m / 1_000_000m, 6), cost.UsdAfter);
        Assert.True(cost.Reduction > 12);
    }

    [Fact]
    public void ForVideo_UnknownPrice_TokensOnly()
    {
        var cost = MediaCostEstimator.ForVideo(Minute1080p, [], MediaProvider.OpenAI, null);

        Assert.Null(cost.UsdBefore);
        Assert.Null(cost.UsdAfter);
        Assert.Equal(60L * (85 + (170 * 6)), cost.TokensBefore);
        Assert.True(double.IsPositiveInfinity(cost.Reduction));
    }

    [Theory]
    [InlineData(0.4, 1)]
    [InlineData(1.0, 1)]
    [InlineData(1.2, 2)]
    [InlineData(59.99, 60)]
    [InlineData(0, 1)]
    [InlineData(double.NaN, 1)]
    public void NaiveFrameCount_FramesAtWholeSecondsInsideTheDuration(double duration, int expected)
    {
        Assert.Equal(expected, MediaCostEstimator.NaiveFrameCount(duration));
    }

    [Fact]
    public void ForImage_UsesTheRewriteFigures()
    {
        var rewrite = new ImageRewrite(ImageRewriteOutcome.Downscaled, "x", new byte[10], "image/jpeg", new ImageDimensions(4000, 3000), new ImageDimensions(1238, 928), 1600, 1532, 5_000_000);

        var cost = MediaCostEstimator.ForImage(rewrite, 15m);

        Assert.Equal(1600, cost.TokensBefore);
        Assert.Equal(1532, cost.TokensAfter);
        Assert.Equal(0.024m, cost.UsdBefore);
        Assert.Equal(0.02298m, cost.UsdAfter);
    }

    private static Keyframe Frame(int index, ImageDimensions size, int tokens) =>
        new(index, index * 10, index == 0 ? KeyframeReason.First : KeyframeReason.SceneCut, size.Width, size.Height, tokens, "image/jpeg", new byte[] { 0xFF, 0xD8 });
}
