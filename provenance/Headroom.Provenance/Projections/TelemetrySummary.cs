namespace Headroom.Provenance.Projections;

/// <summary>
/// What `/telemetry/summary` serves, read from a projection so it survives restarts:
/// totals, per model, and the last 100 requests (newest first).
/// </summary>
public sealed record TelemetrySummary
{
    public static TelemetrySummary Empty { get; } = new();

    public TelemetryTotals Totals { get; init; } = new();

    public IReadOnlyList<ModelTelemetry> Models { get; init; } = [];

    public IReadOnlyList<RecentRequest> Recent { get; init; } = [];

    /// <summary>Global sequence of the last event folded in.</summary>
    public long Position { get; init; }
}
