namespace Headroom.Provenance.Projections;

/// <summary>Mutable counters inside the telemetry projection's document.</summary>
internal sealed class TelemetryCounters
{
    public long Requests { get; set; }

    public long Errors { get; set; }

    public long TokensBefore { get; set; }

    public long TokensAfter { get; set; }

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public long CacheReadTokens { get; set; }

    public long CacheWriteTokens { get; set; }

    public long Retrievals { get; set; }

    public TelemetryTotals ToTotals() => new()
    {
        Requests = Requests,
        Errors = Errors,
        TokensBefore = TokensBefore,
        TokensAfter = TokensAfter,
        InputTokens = InputTokens,
        OutputTokens = OutputTokens,
        CacheReadTokens = CacheReadTokens,
        CacheWriteTokens = CacheWriteTokens,
        Retrievals = Retrievals,
    };
}
