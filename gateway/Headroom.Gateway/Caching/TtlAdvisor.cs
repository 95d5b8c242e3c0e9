using Headroom.Gateway.Pricing;

namespace Headroom.Gateway.Caching;

/// <summary>
/// Chooses the Anthropic cache TTL for a session from its observed gaps between requests. For a prefix of
/// P tokens, with f5 / f60 the share of gaps within 5 min / 1 h, the expected cost of the next request's
/// prefix is P·(f5·read + (1−f5)·write5m) under 5 min and P·(f60·read + (1−f60)·write1h) under 1 h
/// (a miss re-writes the prefix; a hit refreshes the TTL). The cheaper one wins; 5 min until
/// <c>minSamples</c> gaps were seen. Without prices the provider's multipliers (0.1, 1.25, 2) decide and
/// the saving is not stated in USD.
/// </summary>
internal static class TtlAdvisor
{
    public const int FiveMinutes = 300;
    public const int OneHour = 3600;

    public static (CacheTtl Ttl, decimal? SavingUsd) Choose(IReadOnlyList<double> gapSeconds, long prefixTokens, ModelPrice? price, int minSamples)
    {
        if (gapSeconds.Count < Math.Max(1, minSamples))
        {
            return (CacheTtl.FiveMinutes, null);
        }

        var within5 = gapSeconds.Count(g => g <= FiveMinutes);
        var within60 = gapSeconds.Count(g => g <= OneHour);
        var n = (decimal)gapSeconds.Count;
        decimal read = price?.CacheRead ?? 0.1m, write5 = price?.CacheWrite5m ?? 1.25m, write1 = price?.CacheWrite1h ?? 2m;
        var cost5 = prefixTokens * ((within5 / n * read) + ((n - within5) / n * write5));
        var cost60 = prefixTokens * ((within60 / n * read) + ((n - within60) / n * write1));
        var ttl = cost60 < cost5 ? CacheTtl.OneHour : CacheTtl.FiveMinutes;
        decimal? saving = price is null ? null : Math.Round(Math.Abs(cost5 - cost60) / 1_000_000m, 8);
        return (ttl, saving);
    }
}
