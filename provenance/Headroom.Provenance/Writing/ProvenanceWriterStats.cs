namespace Headroom.Provenance.Writing;

/// <summary>Counters of the provenance writer, e.g. for `/healthz`.</summary>
public sealed record ProvenanceWriterStats(
    long Recorded,
    long Stored,
    long Spooled,
    long Replayed,
    bool SpoolPending,
    bool StoreAvailable);
