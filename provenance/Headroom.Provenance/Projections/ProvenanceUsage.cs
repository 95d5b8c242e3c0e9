namespace Headroom.Provenance.Projections;

/// <summary>Upstream status, usage with cache figures, and timings of one request.</summary>
public sealed record ProvenanceUsage
{
    public int Status { get; init; }

    public string? ResponseModel { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    public long CacheWrite5mTokens { get; init; }

    public long CacheWrite1hTokens { get; init; }

    public double TtfbMs { get; init; }

    public double TotalMs { get; init; }

    public double OverheadMs { get; init; }

    /// <summary>See <see cref="Events.RequestCompleted.Error"/>.</summary>
    public string? Error { get; init; }

    /// <summary>See <see cref="Events.RequestCompleted.FailOpen"/>.</summary>
    public string? FailOpen { get; init; }
}
