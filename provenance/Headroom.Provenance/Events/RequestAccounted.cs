namespace Headroom.Provenance.Events;

/// <summary>
/// The gateway's account of one finished request: tokens, money, cache verdict and timings.
/// One per request, recorded after the response; the telemetry feed is these events in sequence order.
/// USD fields are null when the model has no price (then <see cref="PriceNote"/> says so).
/// </summary>
public sealed record RequestAccounted : ProvenanceEvent
{
    public string? SessionId { get; init; }
    public string? Provider { get; init; }
    public string? Model { get; init; }
    public int Status { get; init; }

    /// <summary>Uncached input tokens.</summary>
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheWriteTokens { get; init; }

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

    public double OverheadMs { get; init; }
    public double TtfbMs { get; init; }

    /// <summary>See <see cref="RequestCompleted.Error"/>.</summary>
    public string? Error { get; init; }

    /// <summary>See <see cref="RequestCompleted.FailOpen"/>.</summary>
    public string? FailOpen { get; init; }
}
