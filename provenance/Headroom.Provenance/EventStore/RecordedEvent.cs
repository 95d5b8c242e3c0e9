namespace Headroom.Provenance.EventStore;

/// <summary>An event as stored: global sequence, stream, per-stream version, type, JSON payload and time.</summary>
public sealed record RecordedEvent(
    long Sequence,
    Guid Id,
    string StreamId,
    long Version,
    string Type,
    ReadOnlyMemory<byte> Data,
    DateTimeOffset Timestamp)
{
    /// <summary>The appended object when this process appended it (inline projections); null when read back.</summary>
    internal object? Payload { get; init; }
}
