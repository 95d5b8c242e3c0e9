namespace Headroom.Gateway.Telemetry;

/// <summary>Money over a set of requests. USD sums cover priced requests only; <see cref="UnpricedRequests"/> counts the rest (tokens only).</summary>
public sealed record CostTotals
{
    public decimal BilledUsd { get; init; }
    public decimal NoGatewayUsd { get; init; }
    public decimal CompressionSavedUsd { get; init; }
    public decimal CachingSavedUsd { get; init; }
    public long TokensSaved { get; init; }
    public long UnpricedRequests { get; init; }

    public CostTotals Add(Caching.RequestCost cost) => this with
    {
        BilledUsd = BilledUsd + (cost.BilledUsd ?? 0),
        NoGatewayUsd = NoGatewayUsd + (cost.NoGatewayUsd ?? 0),
        CompressionSavedUsd = CompressionSavedUsd + (cost.CompressionSavedUsd ?? 0),
        CachingSavedUsd = CachingSavedUsd + (cost.CachingSavedUsd ?? 0),
        TokensSaved = TokensSaved + cost.TokensSaved,
        UnpricedRequests = UnpricedRequests + (cost.PricedAs is null ? 1 : 0),
    };
}
