namespace Headroom.Provenance.Events;

/// <summary>
/// The gateway's account of one billed model call, part of <see cref="RequestCompleted"/>: money, cache
/// verdict and retrievals. USD fields are null when the model has no price (then <see cref="PriceNote"/> says so).
/// </summary>
public sealed record RequestAccounting
{
    /// <summary>Tokens removed by compression.</summary>
    public long TokensSaved { get; init; }

    public decimal? BilledUsd { get; init; }
    public decimal? NoGatewayUsd { get; init; }
    public decimal? CompressionSavedUsd { get; init; }
    public decimal? CachingSavedUsd { get; init; }
    public string? PriceNote { get; init; }

    /// <summary>cold, hit, ttl_expired or broken.</summary>
    public string? Verdict { get; init; }
    public string? BrokenAt { get; init; }
    public string? Cause { get; init; }
    public string? Detail { get; init; }
    public double? GapSeconds { get; init; }

    /// <summary>TTL of the breakpoints the gateway placed ("5m"/"1h") and its expected saving per follow-up request over the other TTL.</summary>
    public string? Ttl { get; init; }
    public decimal? TtlExpectedSavingUsd { get; init; }

    /// <summary>The verdict checked against the provider's reported cache reads (consistent, unexpected_miss, unexpected_read, no_usage).</summary>
    public string? CacheCheck { get; init; }

    /// <summary>Retrievals served inside this request (retrieve tool).</summary>
    public int Retrievals { get; init; }
}
