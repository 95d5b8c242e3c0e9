namespace Headroom.Provenance;

/// <summary>Tuning of the provenance store; the defaults suit a gateway.</summary>
public sealed record ProvenanceOptions
{
    public static ProvenanceOptions Default { get; } = new();

    /// <summary>How long originals stay retrievable (default 7 days).</summary>
    public TimeSpan OriginalsRetention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Where events wait while the store is unreachable (default ~/.headroom/spool).</summary>
    public string SpoolDirectory { get; init; } = "~/.headroom/spool";

    /// <summary>Disk cap of the spool (default 1 GiB): past it, events are counted as at risk and the writer reports itself degraded.</summary>
    public long SpoolMaxBytes { get; init; } = 1L << 30;

    /// <summary>Bytes of originals kept in memory while the store is unreachable, until it is back (default 64 MiB).</summary>
    public long FallbackOriginalsBytes { get; init; } = 64L << 20;

    /// <summary>Compression-cache entries kept in memory while the store is unreachable, until it is back (default 10,000).</summary>
    public int FallbackCacheEntries { get; init; } = 10_000;

    /// <summary>Events queued in memory before <c>Record</c> spools synchronously instead.</summary>
    public int WriterCapacity { get; init; } = 10_000;

    /// <summary>Events per append transaction.</summary>
    public int WriterBatchSize { get; init; } = 500;

    /// <summary>
    /// How long the writer waits for more events when a batch starts short (default 2 ms): under load, one
    /// transaction for the events of many requests. Events reach the store that much later; zero writes each at once.
    /// </summary>
    public TimeSpan WriterGatherTime { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>How soon to retry an unreachable store.</summary>
    public TimeSpan WriterRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether this process runs the async projections (telemetry summary). Several replicas may.</summary>
    public bool RunAsyncProjections { get; init; } = true;

    public TimeSpan ProjectionPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a sequence gap may stay open before it is treated as burned by a rollback.</summary>
    public TimeSpan GapSettleTime { get; init; } = TimeSpan.FromSeconds(3);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
