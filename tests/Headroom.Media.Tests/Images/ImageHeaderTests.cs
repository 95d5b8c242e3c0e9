using Headroom.Media.Images;

namespace Headroom.Media.Tests.Images;

public sealed class ImageHeaderTests : IClassFixture<ImageHeaderTests.Fixture>
{
    private readonly Fixture _fixture;

    public ImageHeaderTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    [Theory]
    [InlineData("png", ImageFormat.Png, "image/png")]
    [InlineData("mjpeg", ImageFormat.Jpeg, "image/jpeg")]
    [InlineData("gif", ImageFormat.Gif, "image/gif")]
    [InlineData("libwebp", ImageFormat.WebP, "image/webp")]
    public void TryRead_ReadsFormatAndSize(string codec, ImageFormat format, string mediaType)
    {
        var extra = codec == "gif" ? new[] { "-f", "gif" } : [];
        var bytes = _fixture.Media.Image("testsrc2", 334, 222, codec, extra);

        var header = ImageHeader.TryRead(bytes);

        Assert.NotNull(header);
        Assert.Equal(format, header.Format);
        Assert.Equal(mediaType, header.MediaType);
        Assert.Equal(new ImageDimensions(334, 222), header.Size);
        Assert.False(header.IsAnimated);
    }

    [Fact]
    public void TryRead_PngAlpha_Detected()
    {
        var rgba = _fixture.Media.Image("testsrc2,format=rgba", 64, 48, "png");
        var rgb = _fixture.Media.Image("testsrc2,format=rgb24", 64, 48, "png");

        Assert.True(ImageHeader.TryRead(rgba)!.HasAlpha);
        Assert.False(ImageHeader.TryRead(rgb)!.HasAlpha);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF })]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0 })]
    [InlineData(new byte[] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' })]
    public void TryRead_GarbageOrTruncated_Null(byte[] data)
    {
        Assert.Null(ImageHeader.TryRead(data));
    }

    public sealed class Fixture : IDisposable
    {
        public TestMedia Media { get; } = new();

        public void Dispose() => Media.Dispose();
    }
}
