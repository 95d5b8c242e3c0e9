namespace Headroom.Media.Images;

/// <summary>
/// Provider image-token arithmetic (ANCHORS.md, "Images"):
/// Anthropic: tokens ≈ w×h/750; the provider itself downscales when the long edge exceeds 1568 px or the
/// image exceeds ~1,600 tokens, and recommends ≤ 1.15 MP.
/// OpenAI (tile method, detail high): fit in 2048², shortest side to 768, tokens = 85 + 170 × 512-px tiles.
/// Limits are parameters of <see cref="ImageTokenRules"/> so a data file can replace them.
/// </summary>
public sealed record ImageTokenRules
{
    public static ImageTokenRules Anthropic { get; } = new()
    {
        Provider = MediaProvider.Anthropic,
    };

    public static ImageTokenRules OpenAI { get; } = new()
    {
        Provider = MediaProvider.OpenAI,
    };

    public MediaProvider Provider { get; init; }

    /// <summary>Anthropic: pixels per token.</summary>
    public double AnthropicPixelsPerToken { get; init; } = 750;

    /// <summary>Anthropic: longest edge the model sees.</summary>
    public int AnthropicMaxLongEdge { get; init; } = 1568;

    /// <summary>Anthropic: the token count above which the provider downscales.</summary>
    public int AnthropicMaxTokens { get; init; } = 1600;

    /// <summary>Anthropic: the recommended pixel budget we downscale to.</summary>
    public long AnthropicRecommendedPixels { get; init; } = 1_150_000;

    /// <summary>OpenAI: the square the image is first fitted into.</summary>
    public int OpenAIFitSquare { get; init; } = 2048;

    /// <summary>OpenAI: the shortest side after the second resize.</summary>
    public int OpenAIShortSide { get; init; } = 768;

    public int OpenAITileSize { get; init; } = 512;

    public int OpenAIBaseTokens { get; init; } = 85;

    public int OpenAITokensPerTile { get; init; } = 170;

    /// <summary>OpenAI: snap down to the previous tile boundary when that costs at most this fraction of an edge.</summary>
    public double OpenAITileSnapFraction { get; init; } = 0.08;

    /// <summary>
    /// Anthropic: long edge of a video frame. A frame is looked at for what happens in the scene (people,
    /// objects, screens, large text), not read like a document page: 1024 px keeps 16:9 frames at ~790 tokens.
    /// </summary>
    public int AnthropicVideoFrameLongEdge { get; init; } = 1024;

    /// <summary>OpenAI: a video frame fits in this many 512-px tiles along its long edge and one along its short edge (425 tokens).</summary>
    public int OpenAIVideoFrameTiles { get; init; } = 2;

    public static ImageTokenRules For(MediaProvider provider) => provider == MediaProvider.OpenAI ? OpenAI : Anthropic;

    /// <summary>Tokens the provider bills for an image sent at this size (after the provider's own resizing).</summary>
    public int Tokens(ImageDimensions size)
    {
        if (size.Width <= 0 || size.Height <= 0)
        {
            return 0;
        }

        if (Provider == MediaProvider.OpenAI)
        {
            var seen = OpenAIProviderSize(size);
            return OpenAIBaseTokens + (OpenAITokensPerTile * Tiles(seen));
        }

        var scale = Math.Min(1.0, AnthropicMaxLongEdge / (double)size.LongEdge);
        scale = Math.Min(scale, Math.Sqrt(AnthropicMaxTokens * AnthropicPixelsPerToken / size.Pixels));
        var effective = Scale(size, scale);
        return (int)Math.Ceiling(effective.Pixels / AnthropicPixelsPerToken);
    }

    /// <summary>
    /// The largest size worth sending: nothing the provider would discard, never larger than the source
    /// (no upscaling), optionally capped further by <paramref name="maxLongEdge"/>.
    /// </summary>
    public ImageDimensions TargetSize(ImageDimensions source, int? maxLongEdge = null)
    {
        if (source.Width <= 0 || source.Height <= 0)
        {
            return source;
        }

        ImageDimensions target;
        if (Provider == MediaProvider.OpenAI)
        {
            target = SnapToTiles(OpenAIProviderSize(source));
        }
        else
        {
            var scale = Math.Min(1.0, AnthropicMaxLongEdge / (double)source.LongEdge);
            scale = Math.Min(scale, Math.Sqrt(AnthropicRecommendedPixels / (double)source.Pixels));
            target = Scale(source, scale);
        }

        if (maxLongEdge is > 0 && target.LongEdge > maxLongEdge.Value)
        {
            target = FitEdge(source, maxLongEdge.Value, longEdge: true);
        }

        return target;
    }

    /// <summary>
    /// The size a video frame is sent at: what the model needs to follow a scene, at the provider's cheapest
    /// shape for it (whole tiles for OpenAI); never larger than <see cref="TargetSize"/> or the source.
    /// </summary>
    public ImageDimensions VideoFrameSize(ImageDimensions source, int? maxLongEdge = null)
    {
        var full = TargetSize(source, maxLongEdge);
        if (full.Width <= 0 || full.Height <= 0)
        {
            return full;
        }

        ImageDimensions frame;
        if (Provider == MediaProvider.OpenAI)
        {
            // The largest size inside (tiles × 512) by 512, so the provider bills exactly those tiles.
            var longLimit = OpenAIVideoFrameTiles * OpenAITileSize;
            var scale = Math.Min(1.0, Math.Min(longLimit / (double)full.LongEdge, OpenAITileSize / (double)full.ShortEdge));
            frame = Scale(full, scale);
        }
        else
        {
            frame = FitEdge(full, AnthropicVideoFrameLongEdge, longEdge: true);
        }

        return frame;
    }

    /// <summary>The size the OpenAI tile method rescales an image to before counting tiles.</summary>
    internal ImageDimensions OpenAIProviderSize(ImageDimensions size)
    {
        var fitted = size.LongEdge > OpenAIFitSquare ? FitEdge(size, OpenAIFitSquare, longEdge: true) : size;
        return fitted.ShortEdge > OpenAIShortSide ? FitEdge(fitted, OpenAIShortSide, longEdge: false) : fitted;
    }

    internal int Tiles(ImageDimensions size) =>
        (int)(Math.Ceiling(size.Width / (double)OpenAITileSize) * Math.Ceiling(size.Height / (double)OpenAITileSize));

    /// <summary>Drops a tile row or column when it holds only a thin strip of the image.</summary>
    private ImageDimensions SnapToTiles(ImageDimensions size)
    {
        var best = size;
        var tiles = Tiles(size);
        foreach (var horizontal in new[] { true, false })
        {
            var edge = horizontal ? size.Width : size.Height;
            var lower = (edge - 1) / OpenAITileSize * OpenAITileSize;
            if (lower <= 0 || edge - lower > edge * OpenAITileSnapFraction)
            {
                continue;
            }

            var snapped = horizontal
                ? new ImageDimensions(lower, Math.Max(1, (int)((long)size.Height * lower / size.Width)))
                : new ImageDimensions(Math.Max(1, (int)((long)size.Width * lower / size.Height)), lower);
            var snappedTiles = Tiles(snapped);
            if (snappedTiles < tiles)
            {
                best = snapped;
                tiles = snappedTiles;
            }
        }

        return best;
    }

    /// <summary>Scales so the long (or short) edge is exactly <paramref name="edge"/>; the other edge rounds down.</summary>
    private static ImageDimensions FitEdge(ImageDimensions size, int edge, bool longEdge)
    {
        var reference = longEdge ? size.LongEdge : size.ShortEdge;
        if (reference <= edge)
        {
            return size;
        }

        var other = Math.Max(1, (int)((long)(longEdge ? size.ShortEdge : size.LongEdge) * edge / reference));
        var wide = size.Width >= size.Height;
        return (wide == longEdge) ? new ImageDimensions(edge, other) : new ImageDimensions(other, edge);
    }

    private static ImageDimensions Scale(ImageDimensions size, double scale)
    {
        if (scale >= 1.0)
        {
            return size;
        }

        return new ImageDimensions(
            Math.Max(1, (int)Math.Floor((size.Width * scale) + 1e-9)),
            Math.Max(1, (int)Math.Floor((size.Height * scale) + 1e-9)));
    }
}
