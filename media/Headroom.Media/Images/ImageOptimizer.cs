using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using Headroom.Media.Ffmpeg;

namespace Headroom.Media.Images;

/// <summary>
/// Downscales and re-encodes images that exceed the provider's token-optimal size. Never upscales, leaves
/// small images untouched, keeps PNG for screenshot-like images when JPEG would be larger, keeps PNG when
/// there is transparency. Fails open: every problem returns "untouched" with a reason; only cancellation throws.
/// Output is deterministic (bitexact encoders), so the same input always yields the same bytes.
/// </summary>
public sealed class ImageOptimizer
{
    /// <summary>A rewrite that grows the payload must save at least this share of the tokens.</summary>
    private const double MinTokenShareWhenLarger = 0.10;

    private readonly FfmpegTools? _tools;

    /// <param name="tools">Null when ffmpeg is unavailable: oversize images are then left untouched with a reason.</param>
    public ImageOptimizer(FfmpegTools? tools)
    {
        _tools = tools;
    }

    /// <summary>
    /// The gateway's entry point for base64 image blocks (issue 7 §7): decode, decide, re-encode.
    /// <paramref name="declaredMediaType"/> is the block's <c>media_type</c>; an untouched result echoes it.
    /// </summary>
    public async Task<ImageRewrite> OptimizeBase64Async(
        string base64,
        string? declaredMediaType,
        MediaProvider provider,
        ImageOptimizerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(base64);
        options ??= ImageOptimizerOptions.Default;
        var declared = declaredMediaType ?? "application/octet-stream";

        // base64 is 4/3 of the bytes: refuse before allocating.
        if (base64.Length / 4L * 3 > options.MaxInputBytes)
        {
            return Untouched(ImageRewriteOutcome.TooLarge, $"image is larger than {options.MaxInputBytes} bytes", declared, default, provider, base64.Length / 4L * 3);
        }

        var buffer = new byte[base64.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64String(base64, buffer, out var written))
        {
            return Untouched(ImageRewriteOutcome.InvalidBase64, "the base64 data does not decode", declared, default, provider, 0);
        }

        return await OptimizeAsync(buffer.AsMemory(0, written), provider, options, declared, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Same as <see cref="OptimizeBase64Async(string, string?, MediaProvider, ImageOptimizerOptions?, CancellationToken)"/>
    /// for UTF-8 base64 as sliced from a request body (already JSON-unescaped: <c>\/</c> must be <c>/</c>).
    /// </summary>
    public async Task<ImageRewrite> OptimizeBase64Async(
        ReadOnlyMemory<byte> base64Utf8,
        string? declaredMediaType,
        MediaProvider provider,
        ImageOptimizerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= ImageOptimizerOptions.Default;
        var declared = declaredMediaType ?? "application/octet-stream";
        var approximate = base64Utf8.Length / 4L * 3;
        if (approximate > options.MaxInputBytes)
        {
            return Untouched(ImageRewriteOutcome.TooLarge, $"image is larger than {options.MaxInputBytes} bytes", declared, default, provider, approximate);
        }

        var buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(base64Utf8.Length)];
        if (Base64.DecodeFromUtf8(base64Utf8.Span, buffer, out _, out var written) != OperationStatus.Done)
        {
            return Untouched(ImageRewriteOutcome.InvalidBase64, "the base64 data does not decode", declared, default, provider, 0);
        }

        return await OptimizeAsync(buffer.AsMemory(0, written), provider, options, declared, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ImageRewrite> OptimizeAsync(
        ReadOnlyMemory<byte> image,
        MediaProvider provider,
        ImageOptimizerOptions? options = null,
        string? declaredMediaType = null,
        CancellationToken cancellationToken = default)
    {
        options ??= ImageOptimizerOptions.Default;
        var rules = ImageTokenRules.For(provider);

        // 1. Read the header in C#: most images stop here.
        var header = ImageHeader.TryRead(image.Span);
        var declared = declaredMediaType ?? header?.MediaType ?? "application/octet-stream";
        if (image.Length > options.MaxInputBytes)
        {
            return Untouched(ImageRewriteOutcome.TooLarge, $"image is larger than {options.MaxInputBytes} bytes", declared, header?.DisplaySize ?? default, provider, image.Length);
        }

        if (header is null)
        {
            return Untouched(ImageRewriteOutcome.UnsupportedFormat, "not a PNG, JPEG, GIF or WebP image with a readable header", declared, default, provider, image.Length);
        }

        if (header.IsAnimated)
        {
            return Untouched(ImageRewriteOutcome.Animated, "animated image: re-encoding would drop frames", declared, header.DisplaySize, provider, image.Length);
        }

        var source = header.DisplaySize;
        var target = rules.TargetSize(source, options.MaxLongEdge);
        if (target == source)
        {
            return Untouched(ImageRewriteOutcome.WithinOptimalSize, $"{source} is within the {provider} token-optimal size", declared, source, provider, image.Length);
        }

        if (_tools is null)
        {
            return Untouched(ImageRewriteOutcome.FfmpegMissing, "ffmpeg is not installed (Debian package `ffmpeg`)", declared, source, provider, image.Length);
        }

        // 2. Re-encode: JPEG for photos, PNG when there is transparency, the smaller of both for PNG sources.
        byte[] output;
        string mediaType;
        try
        {
            var tryPng = header.HasAlpha || header.Format is ImageFormat.Png or ImageFormat.Gif;
            var tryJpeg = !header.HasAlpha;
            var pngTask = tryPng ? EncodeAsync(image, header, target, "png", options, cancellationToken) : Task.FromResult<byte[]?>(null);
            var jpegTask = tryJpeg ? EncodeAsync(image, header, target, "mjpeg", options, cancellationToken) : Task.FromResult<byte[]?>(null);
            // Await both before reading either, so a failure of one never leaves the other unobserved.
            await Task.WhenAll(pngTask, jpegTask).ConfigureAwait(false);
            var png = await pngTask.ConfigureAwait(false);
            var jpeg = await jpegTask.ConfigureAwait(false);
            (output, mediaType) = png is not null && (jpeg is null || png.Length <= jpeg.Length)
                ? (png, "image/png")
                : (jpeg!, "image/jpeg");
        }
        catch (MediaException e)
        {
            var outcome = e.Kind == MediaErrorKind.FfmpegMissing ? ImageRewriteOutcome.FfmpegMissing : ImageRewriteOutcome.EncodeFailed;
            return Untouched(outcome, e.Message, declared, source, provider, image.Length);
        }

        // 3. Never worse: a rewrite must save bytes, or (when it grows the payload, as anti-aliased
        //    screenshots can) a real share of tokens, not just the provider's own rounding.
        var tokensBefore = rules.Tokens(source);
        var tokensAfter = rules.Tokens(target);
        var tokensSaved = tokensBefore - tokensAfter;
        if (output.Length >= image.Length && tokensSaved < tokensBefore * MinTokenShareWhenLarger)
        {
            return Untouched(
                ImageRewriteOutcome.NotSmaller,
                $"re-encoding at {target} would grow {image.Length} to {output.Length} bytes and save only {tokensSaved} of {tokensBefore} tokens",
                declared,
                source,
                provider,
                image.Length);
        }

        return new ImageRewrite(
            ImageRewriteOutcome.Downscaled,
            $"downscaled {source} to {target} ({tokensBefore} to {tokensAfter} tokens, {image.Length} to {output.Length} bytes)",
            output,
            mediaType,
            source,
            target,
            tokensBefore,
            tokensAfter,
            image.Length);
    }

    private static ImageRewrite Untouched(ImageRewriteOutcome outcome, string reason, string mediaType, ImageDimensions size, MediaProvider provider, long bytes)
    {
        var tokens = ImageTokenRules.For(provider).Tokens(size);
        return new ImageRewrite(outcome, reason, ReadOnlyMemory<byte>.Empty, mediaType, size, size, tokens, tokens, bytes);
    }

    private async Task<byte[]?> EncodeAsync(
        ReadOnlyMemory<byte> image,
        ImageHeader header,
        ImageDimensions target,
        string codec,
        ImageOptimizerOptions options,
        CancellationToken cancellationToken)
    {
        var demuxer = header.Format switch
        {
            ImageFormat.Png => "png_pipe",
            ImageFormat.Jpeg => "jpeg_pipe",
            ImageFormat.WebP => "webp_pipe",
            _ => "gif",
        };

        // EXIF orientation is applied explicitly (and autorotation disabled) so every ffmpeg version agrees.
        var filter = Orientation(header.ExifOrientation) + FfmpegFilters.ScaleTo(target)
            + (codec == "png" ? (header.HasAlpha ? ",format=rgba" : ",format=rgb24") : ",format=yuvj420p");
        var arguments = new List<string>
        {
            "-hide_banner", "-v", "error", "-noautorotate",
            "-f", demuxer, "-i", "pipe:0",
            "-frames:v", "1", "-vf", filter,
            "-fflags", "+bitexact", "-flags:v", "+bitexact",
            "-c:v", codec,
        };
        if (codec == "png")
        {
            arguments.AddRange(["-compression_level", "9", "-pred", "mixed"]);
        }
        else
        {
            arguments.AddRange(["-q:v", Math.Clamp(options.JpegQuality, 2, 31).ToString(CultureInfo.InvariantCulture)]);
        }

        arguments.AddRange(["-f", "image2pipe", "pipe:1"]);
        var result = await FfmpegProcess.RunAsync(_tools!.FfmpegPath, arguments, image, null, _tools.Timeout, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 || result.StandardOutput.Length == 0)
        {
            throw new MediaException(MediaErrorKind.InvalidMedia, $"ffmpeg could not re-encode the image: {FfmpegProcess.Summarize(result.StandardError)}");
        }

        return result.StandardOutput;
    }

    private static string Orientation(int exif) => exif switch
    {
        2 => "hflip,",
        3 => "hflip,vflip,",
        4 => "vflip,",
        5 => "transpose=0,",
        6 => "transpose=1,",
        7 => "transpose=3,",
        8 => "transpose=2,",
        _ => string.Empty,
    };
}
