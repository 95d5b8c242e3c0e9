namespace Headroom.Provenance.Projections;

/// <summary>One of the last requests, as listed by `/telemetry/summary`.</summary>
public sealed record RecentRequest
{
    public required string RequestId { get; init; }

    public DateTimeOffset At { get; init; }

    public string? Provider { get; init; }

    public string? Model { get; init; }

    public int? Status { get; init; }

    public long TokensBefore { get; init; }

    public long TokensAfter { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    public long CacheWriteTokens { get; init; }

    public double? TotalMs { get; init; }
}
