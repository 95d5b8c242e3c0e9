namespace Headroom.Gateway.Telemetry;

/// <summary>One session's totals in <c>/telemetry/summary</c>.</summary>
public sealed record SessionSummary(string Session, long Requests, TokenUsage Usage, CostTotals Cost, long CacheBreaks, string? LastVerdict, DateTimeOffset LastAt);
