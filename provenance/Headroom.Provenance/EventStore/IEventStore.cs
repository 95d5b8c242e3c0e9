namespace Headroom.Provenance.EventStore;

/// <summary>
/// Streams of events with a global sequence and a per-stream version (Marten's model). Appends check the
/// expected version before a sequence number is drawn, skip events whose id is already stored, and run
/// inline projections in the same transaction. Conflicts throw <see cref="ConcurrencyException"/>.
/// </summary>
public interface IEventStore
{
    Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Appends to several streams in one transaction: all or nothing. Each stream keeps its events' order; across streams the sequence order of one batch is unspecified.</summary>
    Task<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default);

    /// <summary>The stream's events in version order; empty when the stream does not exist.</summary>
    Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="maxCount"/> events with a sequence greater than <paramref name="afterSequence"/>, in sequence order.</summary>
    Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterSequence, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>The stream's current version; 0 when it does not exist.</summary>
    Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>How many events are stored.</summary>
    Task<long> CountEventsAsync(CancellationToken cancellationToken = default);
}
