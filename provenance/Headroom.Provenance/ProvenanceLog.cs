using Microsoft.Extensions.Logging;

namespace Headroom.Provenance;

/// <summary>Every log message of the library, source-generated.</summary>
internal static partial class ProvenanceLog
{
    [LoggerMessage(1, LogLevel.Information, "Provenance store schema ({Backend}) migrated to version {Version}")]
    public static partial void SchemaMigrated(ILogger logger, string backend, int version);

    [LoggerMessage(2, LogLevel.Warning, "Projection {Projection} skipped sequence gap after {Sequence}: no event appeared within {SettleMs} ms (a rolled-back transaction burned it)")]
    public static partial void GapSkipped(ILogger logger, string projection, long sequence, double settleMs);

    [LoggerMessage(3, LogLevel.Error, "Projection {Projection} failed; retrying")]
    public static partial void ProjectionFailed(ILogger logger, string projection, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "Provenance store unreachable; spooling {Count} events to {Path}")]
    public static partial void Spooling(ILogger logger, int count, string path, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Replayed {Count} spooled events from {Path}")]
    public static partial void SpoolReplayed(ILogger logger, int count, string path);

    [LoggerMessage(6, LogLevel.Warning, "Spool file {Path}: skipped a record with a bad checksum or a torn write at line {Line}")]
    public static partial void SpoolRecordSkipped(ILogger logger, string path, int line);

    [LoggerMessage(7, LogLevel.Error, "Provenance spool write failed; {Count} events are at risk (neither stored nor spooled)")]
    public static partial void SpoolWriteFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(8, LogLevel.Information, "Swept {Count} expired originals")]
    public static partial void OriginalsSwept(ILogger logger, int count);

    [LoggerMessage(9, LogLevel.Warning, "Replaying spool {Path} failed; will retry")]
    public static partial void SpoolReplayFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "Spool segment {Path} cannot be read now (held by another process?); leaving it for a later run")]
    public static partial void SpoolSegmentUnreadable(ILogger logger, string path, Exception exception);

    [LoggerMessage(11, LogLevel.Information, "Migrating {Count} events from the hr_events tables into Marten's event store")]
    public static partial void LegacyEventsMigrating(ILogger logger, long count);

    [LoggerMessage(12, LogLevel.Information, "Migrated {Count} events into Marten's event store; dropped hr_events, hr_streams, hr_progression, hr_documents")]
    public static partial void LegacyEventsMigrated(ILogger logger, long count);

    [LoggerMessage(13, LogLevel.Error, "The provenance writer's loop died; the batch in hand was spooled and the loop restarts")]
    public static partial void WriterRestarted(ILogger logger, Exception exception);

    [LoggerMessage(14, LogLevel.Warning, "The {Store} is unreachable; serving it from memory until it is back ({Pending} entries waiting)")]
    public static partial void FallbackEngaged(ILogger logger, string store, int pending, Exception exception);

    [LoggerMessage(15, LogLevel.Information, "The {Store} is back; wrote {Count} entries kept in memory during the outage")]
    public static partial void FallbackReconciled(ILogger logger, string store, int count);
}
