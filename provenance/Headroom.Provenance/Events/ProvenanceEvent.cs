namespace Headroom.Provenance.Events;

/// <summary>
/// What the gateway records about one request. Every event belongs to the stream named by its request id;
/// <see cref="EventId"/> makes recording idempotent (a spooled event replayed twice is stored once).
/// </summary>
public abstract record ProvenanceEvent
{
    public required string RequestId { get; init; }

    public DateTimeOffset Timestamp { get; init; } = DateTimeOffset.UtcNow;

    public Guid EventId { get; init; } = EventIds.NewVersion7();
}
