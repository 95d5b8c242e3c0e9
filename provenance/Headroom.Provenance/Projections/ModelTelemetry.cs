namespace Headroom.Provenance.Projections;

/// <summary>Totals for one model.</summary>
public sealed record ModelTelemetry(string Model, TelemetryTotals Totals);
