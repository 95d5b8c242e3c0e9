namespace Headroom.Provenance.Writing;

/// <summary>Counters of the provenance writer, e.g. for `/healthz`.</summary>
public sealed record ProvenanceWriterStats(
    long Recorded,
    long Stored,
    long Spooled,
    long Replayed,
    bool SpoolPending,
    bool StoreAvailable)
{
    /// <summary>Events neither stored nor spooled (the spool at its cap or unwritable while the store was down): lost unless the operator acts.</summary>
    public long AtRisk { get; init; }

    /// <summary>How often the writer's loop died and was started again.</summary>
    public long Restarts { get; init; }

    /// <summary>True while events can be written nowhere: the store is down and the spool refuses them (serve `/healthz` as degraded).</summary>
    public bool Degraded { get; init; }

    /// <summary>Bytes the spool holds on disk.</summary>
    public long SpoolBytes { get; init; }
}
