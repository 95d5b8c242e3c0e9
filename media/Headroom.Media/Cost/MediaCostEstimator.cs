using Headroom.Media.Ffmpeg;
using Headroom.Media.Images;
using Headroom.Media.Keyframes;

namespace Headroom.Media.Cost;

/// <summary>
/// Before/after token and dollar figures. Prices come in as a parameter (USD per million input tokens,
/// from the gateway's price table), so this library never depends on the gateway.
/// </summary>
public static class MediaCostEstimator
{
    /// <summary>
    /// Naive: one frame per second at source resolution (as billed after the provider's own resizing).
    /// Sampled: the kept frames at their sent size.
    /// </summary>
    public static MediaCostEstimate ForVideo(VideoInfo video, IReadOnlyList<Keyframe> frames, MediaProvider provider, decimal? inputUsdPerMillionTokens)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(frames);
        var rules = ImageTokenRules.For(provider);
        var naiveFrames = NaiveFrameCount(video.DurationSeconds);
        var before = (long)naiveFrames * rules.Tokens(new ImageDimensions(video.Width, video.Height));
        long after = 0;
        foreach (var frame in frames)
        {
            after += frame.Tokens;
        }

        return new MediaCostEstimate(naiveFrames, frames.Count, before, after, Usd(before, inputUsdPerMillionTokens), Usd(after, inputUsdPerMillionTokens));
    }

    /// <summary>One image as received versus as rewritten (equal when left untouched).</summary>
    public static MediaCostEstimate ForImage(ImageRewrite rewrite, decimal? inputUsdPerMillionTokens)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        return new MediaCostEstimate(1, 1, rewrite.TokensBefore, rewrite.TokensAfter, Usd(rewrite.TokensBefore, inputUsdPerMillionTokens), Usd(rewrite.TokensAfter, inputUsdPerMillionTokens));
    }

    /// <summary>Frames at t = 0, 1, 2 … strictly inside the duration; at least one.</summary>
    public static int NaiveFrameCount(double durationSeconds) =>
        durationSeconds > 0 && double.IsFinite(durationSeconds) ? Math.Max(1, (int)Math.Ceiling(durationSeconds - 1e-6)) : 1;

    public static decimal? Usd(long tokens, decimal? usdPerMillionTokens) =>
        usdPerMillionTokens is { } price ? Math.Round(tokens * price / 1_000_000m, 6) : null;
}
