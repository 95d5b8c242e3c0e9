using Headroom.Media.Images;

namespace Headroom.Media.Tests.Images;

public sealed class ImageTokenRulesTests
{
    [Theory]
    [InlineData(200, 200, 54)]          // 40,000 / 750 = 53.3
    [InlineData(1000, 1000, 1334)]      // 1,000,000 / 750
    [InlineData(1092, 1092, 1590)]      // Anthropic's own table: ~1,590
    [InlineData(1920, 1080, 1600)]      // the provider shrinks it to ~1,600 tokens itself
    [InlineData(8000, 100, 40)]         // long edge 1568 → 1568x19 → 40 tokens
    public void Anthropic_Tokens(int width, int height, int expected)
    {
        var tokens = ImageTokenRules.Anthropic.Tokens(new ImageDimensions(width, height));

        Assert.InRange(tokens, expected - 2, expected);
    }

    [Theory]
    [InlineData(512, 512, 85 + 170)]            // one tile
    [InlineData(1024, 1024, 85 + (170 * 4))]    // shortest side 768 → 768x768 → 2×2 tiles
    [InlineData(2048, 4096, 85 + (170 * 6))]    // fit 1024x2048, shortest 768 → 768x1536 → 2×3
    [InlineData(1920, 1080, 85 + (170 * 6))]    // 1365x768 → 3×2
    [InlineData(100, 100, 85 + 170)]
    public void OpenAI_Tokens_TileMethod(int width, int height, int expected)
    {
        Assert.Equal(expected, ImageTokenRules.OpenAI.Tokens(new ImageDimensions(width, height)));
    }

    [Theory]
    [InlineData(MediaProvider.Anthropic, 4000, 3000)]
    [InlineData(MediaProvider.Anthropic, 1920, 1080)]
    [InlineData(MediaProvider.Anthropic, 300, 9000)]
    [InlineData(MediaProvider.OpenAI, 4000, 3000)]
    [InlineData(MediaProvider.OpenAI, 1030, 700)]
    [InlineData(MediaProvider.OpenAI, 9000, 300)]
    public void TargetSize_NeverUpscales_NeverCostsMoreThanSource_AndProviderWouldNotShrinkIt(MediaProvider provider, int width, int height)
    {
        var rules = ImageTokenRules.For(provider);
        var source = new ImageDimensions(width, height);

        var target = rules.TargetSize(source);

        Assert.True(target.Width <= width && target.Height <= height);
        Assert.True(rules.Tokens(target) <= rules.Tokens(source));
        if (provider == MediaProvider.Anthropic)
        {
            Assert.True(target.LongEdge <= 1568 && target.Pixels <= 1_150_000);
        }
        else
        {
            Assert.Equal(target, rules.OpenAIProviderSize(target));
        }

        // Aspect ratio kept: the short edge follows from the long one within a pixel.
        var expectedShort = target.LongEdge * (double)source.ShortEdge / source.LongEdge;
        Assert.InRange(target.ShortEdge - expectedShort, -1.5, 1.5);
    }

    [Theory]
    [InlineData(800, 600)]
    [InlineData(1568, 700)]
    [InlineData(1, 1)]
    public void TargetSize_SmallImage_Unchanged_Anthropic(int width, int height)
    {
        var size = new ImageDimensions(width, height);
        Assert.Equal(size, ImageTokenRules.Anthropic.TargetSize(size));
    }

    [Fact]
    public void TargetSize_OpenAI_SnapsAThinTileColumnAway()
    {
        // 1030x700: one 6-px sliver costs a third column of tiles; 1024x695 fits 2×2.
        var target = ImageTokenRules.OpenAI.TargetSize(new ImageDimensions(1030, 700));

        Assert.Equal(new ImageDimensions(1024, 695), target);
        Assert.Equal(85 + (170 * 4), ImageTokenRules.OpenAI.Tokens(target));
        Assert.Equal(85 + (170 * 6), ImageTokenRules.OpenAI.Tokens(new ImageDimensions(1030, 700)));
    }

    [Fact]
    public void TargetSize_MaxLongEdge_CapsBelowTheProviderOptimum()
    {
        Assert.Equal(new ImageDimensions(1024, 576), ImageTokenRules.Anthropic.TargetSize(new ImageDimensions(1920, 1080), maxLongEdge: 1024));
        Assert.Equal(new ImageDimensions(800, 600), ImageTokenRules.Anthropic.TargetSize(new ImageDimensions(800, 600), maxLongEdge: 1024));
    }
}
