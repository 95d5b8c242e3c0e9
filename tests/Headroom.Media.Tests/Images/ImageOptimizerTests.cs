using Headroom.Media.Images;

namespace Headroom.Media.Tests.Images;

public sealed class ImageOptimizerTests : IClassFixture<ImageOptimizerTests.Fixture>
{
    private readonly Fixture _fixture;

    /// <summary>Test projects share two cores: the time budget is out of reach of load here (ImageFuzzTests test it).</summary>
    private static readonly ImageOptimizerOptions Generous = ImageOptimizerOptions.Default with { TimeBudget = TimeSpan.FromSeconds(60) };

    public ImageOptimizerTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task Optimize_SmallImage_LeftUntouched()
    {
        var png = _fixture.Media.Image("testsrc2", 800, 600, "png");

        var result = await ImageOptimizer.OptimizeAsync(png, MediaProvider.Anthropic, Generous);

        Assert.False(result.Replaced);
        Assert.Equal(ImageRewriteOutcome.WithinOptimalSize, result.Outcome);
        Assert.True(result.Bytes.IsEmpty);
        Assert.Null(result.ToBase64());
        Assert.Equal(new ImageDimensions(800, 600), result.Size);
        Assert.Equal(640, result.TokensBefore);
        Assert.Equal(result.TokensBefore, result.TokensAfter);
        Assert.Equal(png.Length, result.BytesAfter);
    }

    [Fact]
    public async Task Optimize_LargePhotoJpeg_DownscaledToAnthropicOptimum()
    {
        var jpeg = _fixture.Media.Image("testsrc2,noise=alls=25:allf=t", 4000, 3000, "mjpeg", "-q:v", "2");

        var result = await ImageOptimizer.OptimizeAsync(jpeg, MediaProvider.Anthropic, Generous);

        Assert.True(result.Replaced, result.Reason);
        Assert.Equal("image/jpeg", result.MediaType);
        var expected = ImageTokenRules.Anthropic.TargetSize(new ImageDimensions(4000, 3000));
        Assert.Equal(expected, result.Size);
        Assert.True(expected.LongEdge <= 1568 && expected.Pixels <= 1_150_000);
        Assert.Equal(expected, ImageHeader.TryRead(result.Bytes.Span)!.Size);
        Assert.True(result.BytesAfter < jpeg.Length);
        Assert.True(result.TokensAfter <= result.TokensBefore);
        Assert.Equal(new ImageDimensions(4000, 3000), result.OriginalSize);
    }

    [Fact]
    public async Task Optimize_LargeImage_OpenAI_FewerTilesWithMaxLongEdge()
    {
        var jpeg = _fixture.Media.Image("testsrc2", 3000, 2000, "mjpeg", "-q:v", "2");

        var provider = await ImageOptimizer.OptimizeAsync(jpeg, MediaProvider.OpenAI, Generous);
        var capped = await ImageOptimizer.OptimizeAsync(jpeg, MediaProvider.OpenAI, Generous with { MaxLongEdge = 1024 });

        // 3000x2000 → fit 2048 → shortest side 768: 1152x768, 3×2 tiles.
        Assert.Equal(new ImageDimensions(1152, 768), provider.Size);
        Assert.Equal(85 + (170 * 6), provider.TokensAfter);
        Assert.Equal(new ImageDimensions(1024, 682), capped.Size);
        Assert.Equal(85 + (170 * 4), capped.TokensAfter);
        Assert.Equal(capped.Size, ImageHeader.TryRead(capped.Bytes.Span)!.Size);
    }

    [Fact]
    public async Task Optimize_Screenshot_KeepsPng_WhenJpegWouldCostMoreBytes()
    {
        // A screenshot-like picture (flat colours, thin lines) saved with fast compression, as screenshot tools do.
        var png = _fixture.Media.Image(
            "color=c=white,drawgrid=w=24:h=18:t=2:c=black,drawbox=x=100:y=100:w=800:h=400:c=navy:t=fill",
            2880, 1800, "png", "-compression_level", "0");

        var result = await ImageOptimizer.OptimizeAsync(png, MediaProvider.Anthropic, Generous);

        Assert.True(result.Replaced, result.Reason);
        Assert.Equal("image/png", result.MediaType);
        Assert.Equal(ImageFormat.Png, ImageHeader.TryRead(result.Bytes.Span)!.Format);
        Assert.True(result.BytesAfter < png.Length);
    }

    [Fact]
    public async Task Optimize_PhotoPng_BecomesJpeg()
    {
        var png = _fixture.Media.Image("testsrc2,noise=alls=20:allf=t", 2880, 1800, "png");

        var result = await ImageOptimizer.OptimizeAsync(png, MediaProvider.Anthropic, Generous);

        Assert.True(result.Replaced, result.Reason);
        Assert.Equal("image/jpeg", result.MediaType);
        Assert.True(result.BytesAfter * 4 < png.Length);
    }

    [Fact]
    public async Task Optimize_PngWithAlpha_StaysPngWithAlpha()
    {
        var png = _fixture.Media.Image("testsrc2,format=rgba,colorchannelmixer=aa=0.5", 3000, 2000, "png", "-compression_level", "0");

        var result = await ImageOptimizer.OptimizeAsync(png, MediaProvider.Anthropic, Generous);

        Assert.True(result.Replaced, result.Reason);
        var header = ImageHeader.TryRead(result.Bytes.Span)!;
        Assert.Equal(ImageFormat.Png, header.Format);
        Assert.True(header.HasAlpha);
    }

    [Fact]
    public async Task Optimize_AlreadyCompactScreenshot_LeftUntouched_WhenRewriteWouldGrowIt()
    {
        var png = _fixture.Media.Image("color=c=white,drawgrid=w=24:h=18:t=2:c=black", 2880, 1800, "png", "-compression_level", "9");

        var result = await ImageOptimizer.OptimizeAsync(png, MediaProvider.Anthropic, Generous);

        Assert.Equal(ImageRewriteOutcome.NotSmaller, result.Outcome);
        Assert.False(result.Replaced);
    }

    [Fact]
    public async Task OptimizeBase64_RoundTrips_AndIsDeterministic()
    {
        var jpeg = _fixture.Media.Image("smptehdbars", 2400, 1600, "mjpeg");
        var base64 = Convert.ToBase64String(jpeg);

        var first = await ImageOptimizer.OptimizeBase64Async(base64, "image/jpeg", MediaProvider.Anthropic, Generous);
        var second = await ImageOptimizer.OptimizeBase64Async(base64, "image/jpeg", MediaProvider.Anthropic, Generous);

        Assert.True(first.Replaced, first.Reason);
        Assert.Equal(first.ToBase64(), second.ToBase64());
        var decoded = Convert.FromBase64String(first.ToBase64()!);
        Assert.Equal(first.Size, ImageHeader.TryRead(decoded)!.Size);

        // The picture survives: the top-left bar of SMPTE HD bars is grey, still grey after the round trip.
        var rgb = _fixture.Media.DecodeRgb(decoded);
        Assert.Equal(first.Size.Pixels * 3, rgb.Length);
        var row = first.Size.Height / 4;
        var px = ((row * first.Size.Width) + (first.Size.Width / 20)) * 3;
        Assert.InRange(rgb[px], 80, 130);
        Assert.InRange(Math.Abs(rgb[px] - rgb[px + 1]), 0, 12);
    }

    [Fact]
    public async Task OptimizeBase64_Utf8Overload_SameResultAsString()
    {
        var jpeg = _fixture.Media.Image("smptehdbars", 2400, 1600, "mjpeg");
        var base64 = Convert.ToBase64String(jpeg);

        var fromString = await ImageOptimizer.OptimizeBase64Async(base64, "image/jpeg", MediaProvider.OpenAI, Generous);
        var fromUtf8 = await ImageOptimizer.OptimizeBase64Async(System.Text.Encoding.ASCII.GetBytes(base64), "image/jpeg", MediaProvider.OpenAI, Generous);
        var invalid = await ImageOptimizer.OptimizeBase64Async("@@@@"u8.ToArray(), "image/jpeg", MediaProvider.OpenAI, Generous);

        Assert.True(fromUtf8.Replaced, fromUtf8.Reason);
        Assert.Equal(fromString.ToBase64(), fromUtf8.ToBase64());
        Assert.Equal(ImageRewriteOutcome.InvalidBase64, invalid.Outcome);
    }

    [Fact]
    public async Task OptimizeBase64_Invalid_LeftUntouchedWithReason()
    {
        var result = await ImageOptimizer.OptimizeBase64Async("not base64 at all!", "image/png", MediaProvider.Anthropic, Generous);

        Assert.Equal(ImageRewriteOutcome.InvalidBase64, result.Outcome);
        Assert.Equal("image/png", result.MediaType);
    }

    [Fact]
    public async Task Optimize_NotAnImage_Unsupported()
    {
        var result = await ImageOptimizer.OptimizeAsync("%PDF-1.7 hello"u8.ToArray(), MediaProvider.Anthropic, declaredMediaType: "image/png");

        Assert.Equal(ImageRewriteOutcome.UnsupportedFormat, result.Outcome);
        Assert.Equal("image/png", result.MediaType);
    }

    [Fact]
    public async Task Optimize_AnimatedGif_LeftUntouched()
    {
        var gif = _fixture.Media.Image("testsrc2", 2400, 1600, "gif", "-frames:v", "3", "-f", "gif");

        var result = await ImageOptimizer.OptimizeAsync(gif, MediaProvider.Anthropic, Generous);

        Assert.Equal(ImageRewriteOutcome.Animated, result.Outcome);
    }

    [Fact]
    public async Task Optimize_ExifRotatedJpeg_OutputIsUpright()
    {
        var jpeg = _fixture.Media.Image("testsrc2", 3000, 2000, "mjpeg");
        var rotated = WithExifOrientation(jpeg, 6);
        Assert.Equal(6, ImageHeader.TryRead(rotated)!.ExifOrientation);

        var result = await ImageOptimizer.OptimizeAsync(rotated, MediaProvider.Anthropic, Generous);

        // Displayed as 2000x3000 portrait; the output carries no EXIF, so its pixels must be portrait.
        Assert.True(result.Replaced, result.Reason);
        Assert.True(result.Size.Height > result.Size.Width);
        Assert.Equal(result.Size, ImageHeader.TryRead(result.Bytes.Span)!.Size);
    }

    [Fact]
    public async Task Optimize_TooLarge_LeftUntouched()
    {
        var jpeg = _fixture.Media.Image("testsrc2", 3000, 2000, "mjpeg");

        var result = await ImageOptimizer.OptimizeAsync(jpeg, MediaProvider.Anthropic, new ImageOptimizerOptions { MaxInputBytes = 1000 });

        Assert.Equal(ImageRewriteOutcome.TooLarge, result.Outcome);
    }

    private static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] tiff = [(byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, (byte)(orientation >> 8), (byte)orientation, 0, 0, 0, 0, 0, 0, 0, 0];
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var length = payload.Length + 2;
        byte[] app1 = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload];
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }

    public sealed class Fixture : IDisposable
    {
        public TestMedia Media { get; } = new();

        public void Dispose() => Media.Dispose();
    }
}
