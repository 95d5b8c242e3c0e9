namespace Headroom.Gateway.Caching;

/// <summary>
/// What one request cost and what it would have cost without the gateway. USD figures are null when the
/// model has no price (<see cref="PricedAs"/> null, <see cref="Note"/> says so): tokens only.
/// BilledUsd + CompressionSavedUsd + CachingSavedUsd = NoGatewayUsd; the two savings never overlap.
/// </summary>
public sealed record RequestCost
{
    public static RequestCost None { get; } = new();

    /// <summary>The price-table entry used, or null when the model is unknown.</summary>
    public string? PricedAs { get; init; }

    /// <summary>Tokens the live zone removed (compressed tool outputs: before − after).</summary>
    public long TokensSaved { get; init; }

    public decimal? BilledUsd { get; init; }
    public decimal? NoGatewayUsd { get; init; }
    public decimal? CompressionSavedUsd { get; init; }

    /// <summary>Cache discount on breakpoints the gateway placed (negative on a first write: writes cost more than input).</summary>
    public decimal? CachingSavedUsd { get; init; }

    public decimal? SavedUsd => CompressionSavedUsd is null || CachingSavedUsd is null ? null : CompressionSavedUsd + CachingSavedUsd;

    public string? Note { get; init; }
}
