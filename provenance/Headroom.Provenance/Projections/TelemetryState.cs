namespace Headroom.Provenance.Projections;

/// <summary>The telemetry projection's document: totals, per model, the last requests (oldest first).</summary>
internal sealed class TelemetryState
{
    public const int RecentCapacity = 100;

    public TelemetryCounters Totals { get; set; } = new();

    public Dictionary<string, TelemetryCounters> Models { get; set; } = new(StringComparer.Ordinal);

    public List<RecentRequest> Recent { get; set; } = [];

    public long Position { get; set; }

    public TelemetrySummary ToSummary() => new()
    {
        Totals = Totals.ToTotals(),
        Models = [.. Models.OrderByDescending(m => m.Value.Requests).ThenBy(m => m.Key, StringComparer.Ordinal).Select(m => new ModelTelemetry(m.Key, m.Value.ToTotals()))],
        Recent = [.. Enumerable.Reverse(Recent)],
        Position = Position,
    };
}
