using System.Buffers;
using System.Buffers.Text;
using SixLabors.ImageSharp;

namespace Headroom.Media.Images;

/// <summary>
/// Downscales and re-encodes images that exceed the provider's token-optimal size. Never upscales, leaves
/// small images untouched, keeps PNG for screenshot-like images when JPEG would be larger, keeps PNG when
/// there is transparency. Works in-process (ImageSharp): the header is read first and an image over the pixel
/// budget is refused before any decoder runs; decoding and encoding have a time budget. Fails open: every
/// problem returns "untouched" with a reason; only the caller's cancellation throws. Output is deterministic
/// (managed encoders), so the same input always yields the same bytes.
/// </summary>
public static class ImageOptimizer
{
    /// <summary>A rewrite that grows the payload must save at least this share of the tokens.</summary>
    private const double MinTokenShareWhenLarger = 0.10;

    /// <summary>
    /// The gateway's entry point for base64 image blocks: decode, decide, re-encode.
    /// <paramref name="declaredMediaType"/> is the block's <c>media_type</c>; an untouched result echoes it.
    /// </summary>
    public static async Task<ImageRewrite> OptimizeBase64Async(
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
    public static async Task<ImageRewrite> OptimizeBase64Async(
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

    public static async Task<ImageRewrite> OptimizeAsync(
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

        // 2. Decode only under the pixel budget: the header alone decides (decompression bombs stop here).
        if (source.Pixels > options.MaxPixels)
        {
            return Untouched(
                ImageRewriteOutcome.OverPixelBudget,
                $"the header declares {header.Size} ({header.Size.Pixels:N0} pixels), over the decode budget of {options.MaxPixels:N0} pixels (Headroom:Media:MaxImagePixels)",
                declared,
                source,
                provider,
                image.Length);
        }

        // 3. Re-encode within the time budget: JPEG for photos, PNG when there is transparency, the smaller
        //    of both for PNG and GIF sources. The work runs where it can be abandoned when the budget ends.
        byte[] output;
        string mediaType;
        using var budget = new CancellationTokenSource(options.TimeBudget);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var work = Task.Run(() => Encode(image, header, target, options, linked.Token), linked.Token);
        try
        {
            (output, mediaType) = await work.WaitAsync(linked.Token).ConfigureAwait(false);
            // The budget's timer is a thread-pool callback: when the encoder's parallel loops hold every pool
            // thread it runs only after them, so a result that arrives late counts as late by the clock.
            if (System.Diagnostics.Stopwatch.GetElapsedTime(started) > options.TimeBudget)
            {
                throw new OperationCanceledException(budget.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Untouched(ImageRewriteOutcome.TimedOut, $"decoding and re-encoding took longer than {options.TimeBudget.TotalMilliseconds:0} ms", declared, source, provider, image.Length) with
            {
                Completion = work,
            };
        }
        catch (Exception e) when (e is ImageFormatException or InvalidDataException or NotSupportedException or ArgumentException or IndexOutOfRangeException or InvalidOperationException or OutOfMemoryException)
        {
            return Untouched(ImageRewriteOutcome.EncodeFailed, $"the image could not be decoded or re-encoded: {e.Message}", declared, source, provider, image.Length);
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

    private static (byte[] Bytes, string MediaType) Encode(ReadOnlyMemory<byte> image, ImageHeader header, ImageDimensions target, ImageOptimizerOptions options, CancellationToken cancellationToken)
    {
        // The decoder's own reading of the header must agree with ours, or the budget check meant nothing.
        var identified = ImageCodec.Identify(image, header.Format, cancellationToken);
        if (identified != header.Size)
        {
            throw new InvalidDataException($"the decoder reads {identified} where the header declares {header.Size}");
        }

        var tryPng = header.HasAlpha || header.Format is ImageFormat.Png or ImageFormat.Gif;
        var (png, jpeg) = ImageCodec.Resize(image, header, target, tryPng, jpeg: !header.HasAlpha, options.JpegQuality, cancellationToken);
        return png is not null && (jpeg is null || png.Length <= jpeg.Length) ? (png, "image/png") : (jpeg!, "image/jpeg");
    }
}
