using Headroom.Gateway.Pricing;
using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Caching;

/// <summary>
/// Money for one request, from the usage the provider reported and the price table:
/// 1. billed = input·in + output·out + cacheRead·read + writes·write(5m|1h) (long-context prices past the threshold);
/// 2. compression: every token removed would have been billed where its compressed form was — a tool output
///    compressed now sits in the new tail (cache-write price when the request wrote cache, else input),
///    one replayed from an earlier turn sits in the prefix (cache-read price when the request read cache,
///    else input);
/// 3. caching: only when the gateway placed the breakpoints (the client's own caching, and OpenAI's automatic
///    caching, would have happened without it), the cached tokens priced as plain input minus what they cost;
/// 4. no-gateway = billed + compression saving + caching saving. Rounded to 1e-8 USD.
/// </summary>
public static class CostModel
{
    public static RequestCost Compute(RequestRecord record, ModelPriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(prices);
        long fresh = 0, replayed = 0;
        foreach (var o in record.Live?.Outcomes ?? [])
        {
            if (o.Compressed && o.TokensBefore > o.TokensAfter)
            {
                if (o.Replayed)
                {
                    replayed += o.TokensBefore - o.TokensAfter;
                }
                else
                {
                    fresh += o.TokensBefore - o.TokensAfter;
                }
            }
        }

        var saved = fresh + replayed;
        var price = prices.Find(record.Model) ?? prices.Find(record.RequestModel);
        if (price is null)
        {
            return new RequestCost { TokensSaved = saved, Note = $"no price for model '{record.Model ?? record.RequestModel ?? "(none)"}': tokens only" };
        }

        var u = record.Usage ?? TokenUsage.Empty;
        var prompt = u.InputTokens + u.CacheReadTokens + u.CacheWriteTokens;
        var p = price.LongContext is not null && price.LongContextAboveInputTokens is { } above && prompt > above ? price.LongContext : price;

        // 1. As billed.
        var billed = price.CostUsd(u.InputTokens, u.OutputTokens, u.CacheReadTokens, u.CacheWrite5mTokens, u.CacheWrite1hTokens);

        // 2. Compression, priced where the removed tokens would have sat.
        var tailRate = u.CacheWriteTokens > 0
            ? ((u.CacheWrite5mTokens * p.CacheWrite5m) + (u.CacheWrite1hTokens * p.CacheWrite1h)) / u.CacheWriteTokens
            : p.Input;
        var prefixRate = u.CacheReadTokens > 0 ? p.CacheRead : p.Input;
        var compression = ((fresh * tailRate) + (replayed * prefixRate)) / 1_000_000m;

        // 3. Caching the gateway added.
        var caching = 0m;
        if (CacheNotes.From(record.Live?.Annotations) is { GatewayCaching: true })
        {
            var cached = u.CacheReadTokens + u.CacheWriteTokens;
            var asInput = cached * p.Input;
            var asCached = (u.CacheReadTokens * p.CacheRead) + (u.CacheWrite5mTokens * p.CacheWrite5m) + (u.CacheWrite1hTokens * p.CacheWrite1h);
            caching = (asInput - asCached) / 1_000_000m;
        }

        return new RequestCost
        {
            PricedAs = price.Id,
            TokensSaved = saved,
            BilledUsd = Round(billed),
            CompressionSavedUsd = Round(compression),
            CachingSavedUsd = Round(caching),
            NoGatewayUsd = Round(billed) + Round(compression) + Round(caching),
        };
    }

    private static decimal Round(decimal usd) => Math.Round(usd, 8, MidpointRounding.ToEven);
}
