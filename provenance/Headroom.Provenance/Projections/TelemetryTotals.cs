namespace Headroom.Provenance.Projections;

/// <summary>Counters summed over requests.</summary>
public sealed record TelemetryTotals
{
    public long Requests { get; init; }

    /// <summary>Upstream responses with status ≥ 400.</summary>
    public long Errors { get; init; }

    public long TokensBefore { get; init; }

    public long TokensAfter { get; init; }

    public long TokensSaved => TokensBefore - TokensAfter;

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    public long CacheWriteTokens { get; init; }

    public long Retrievals { get; init; }
}
