using Headroom.Provenance.Events;

namespace Headroom.Provenance.Projections;

/// <summary>
/// Everything known about one request, in the compact shape `GET /provenance/{id}` serves
/// (serialize with <see cref="ProvenanceJsonContext"/>.Default.RequestProvenance).
/// </summary>
public sealed record RequestProvenance
{
    public required string RequestId { get; init; }

    public string? Session { get; init; }

    public string? Provider { get; init; }

    public string? Model { get; init; }

    public string? Route { get; init; }

    public string? Tenant { get; init; }

    public DateTimeOffset? ReceivedAt { get; init; }

    public ProvenanceTotals Totals { get; init; } = ProvenanceTotals.Empty;

    public IReadOnlyList<ContextBlock> Sources { get; init; } = [];

    public ProvenanceUsage? Usage { get; init; }

    public IReadOnlyList<RetrievalEntry> Retrievals { get; init; } = [];
}
