using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Headroom.Media.Images;

/// <summary>
/// In-process decode, resize and encode with ImageSharp. The decoder is chosen from the header already
/// read (never sniffed again), only PNG, JPEG, GIF and WebP are configured, GIFs decode their first frame
/// only, and every step observes the cancellation token. Encoders are managed code, so the same input
/// always gives the same bytes.
/// </summary>
internal static class ImageCodec
{
    private static readonly Configuration Settings = CreateConfiguration();

    /// <summary>What the decoder itself says about size, before it decodes pixels.</summary>
    public static ImageDimensions Identify(ReadOnlyMemory<byte> image, ImageFormat format, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(image.ToArray(), writable: false);
        var detector = (IImageInfoDetector)DecoderFor(format);
        var info = detector.Identify(Settings, stream, cancellationToken)
            ?? throw new InvalidImageContentException("The image header could not be identified.");
        return new ImageDimensions(info.Width, info.Height);
    }

    /// <summary>
    /// Decodes once, applies the EXIF orientation, resizes to <paramref name="target"/>, then encodes as PNG
    /// (when <paramref name="png"/>) and as JPEG (when <paramref name="jpeg"/>) from the same pixels.
    /// </summary>
    public static (byte[]? Png, byte[]? Jpeg) Resize(ReadOnlyMemory<byte> image, ImageHeader header, ImageDimensions target, bool png, bool jpeg, int jpegQuality, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(image.ToArray(), writable: false);
        using var decoded = DecoderFor(header.Format).Decode<Rgba32>(Settings, stream, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        decoded.Mutate(x => x
            .AutoOrient()
            .Resize(new ResizeOptions { Size = new Size(target.Width, target.Height), Mode = ResizeMode.Stretch, Sampler = KnownResamplers.Lanczos3 }));
        cancellationToken.ThrowIfCancellationRequested();

        // Nothing but pixels leaves: no EXIF (location, device), ICC or XMP of the sender.
        decoded.Metadata.ExifProfile = null;
        decoded.Metadata.IccProfile = null;
        decoded.Metadata.XmpProfile = null;
        decoded.Metadata.IptcProfile = null;

        var pngBytes = png
            ? Encode(decoded, new PngEncoder
            {
                CompressionLevel = PngCompressionLevel.BestCompression,
                ColorType = header.HasAlpha ? PngColorType.RgbWithAlpha : PngColorType.Rgb,
                BitDepth = PngBitDepth.Bit8,
                ChunkFilter = PngChunkFilter.ExcludeAll,
            })
            : null;
        cancellationToken.ThrowIfCancellationRequested();
        var jpegBytes = jpeg ? Encode(decoded, new JpegEncoder { Quality = Math.Clamp(jpegQuality, 1, 100), ColorType = JpegColorType.YCbCrRatio420 }) : null;
        return (pngBytes, jpegBytes);
    }

    private static byte[] Encode(Image image, IImageEncoder encoder)
    {
        using var output = new MemoryStream();
        image.Save(output, encoder);
        return output.ToArray();
    }

    private static IImageDecoder DecoderFor(ImageFormat format) => format switch
    {
        ImageFormat.Png => new PngDecoder { IgnoreMetadata = true },
        ImageFormat.Jpeg => new JpegDecoder(),
        ImageFormat.Gif => new GifDecoder { DecodingMode = FrameDecodingMode.First, MaxFrames = 1, IgnoreMetadata = true },
        ImageFormat.WebP => new WebpDecoder { IgnoreMetadata = true },
        _ => throw new UnknownImageFormatException($"No decoder is configured for {format}."),
    };

    private static Configuration CreateConfiguration()
    {
        var configuration = new Configuration(
            new PngConfigurationModule(),
            new JpegConfigurationModule(),
            new GifConfigurationModule(),
            new WebpConfigurationModule())
        {
            // One core per image: the machine serves other requests meanwhile.
            MaxDegreeOfParallelism = 1,
        };
        return configuration;
    }
}
