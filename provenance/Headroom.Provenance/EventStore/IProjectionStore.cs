using Headroom.Provenance.Projections;

namespace Headroom.Provenance.EventStore;

/// <summary>What the embedded store's async projection runner needs besides <see cref="IEventStore"/> (on PostgreSQL, Marten's async daemon does this).</summary>
internal interface IProjectionStore : IProjectionDocuments
{
    /// <summary>The last sequence the named projection has applied (0 when it never ran).</summary>
    Task<long> ReadProgressAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: applies <paramref name="events"/> through <paramref name="projection"/> and moves
    /// its progress from <paramref name="expectedProgress"/> to <paramref name="newProgress"/>. Returns false
    /// (and stores nothing) when another runner moved the progress first.
    /// </summary>
    Task<bool> TryApplyAsync(IProjection projection, long expectedProgress, long newProgress, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken);

    /// <summary>Sequence numbers greater than <paramref name="afterSequence"/>, ascending, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<long>> ReadSequencesAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken);
}
