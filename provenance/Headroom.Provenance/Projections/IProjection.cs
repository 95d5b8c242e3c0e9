using Headroom.Provenance.EventStore;

namespace Headroom.Provenance.Projections;

/// <summary>
/// Folds events into documents. Inline projections run in the append transaction; async ones run in the
/// projection runner's transaction, which also advances the projection's progress compare-and-set.
/// </summary>
internal interface IProjection
{
    string Name { get; }

    Task ApplyAsync(IReadOnlyList<RecordedEvent> events, IDocumentSession session, CancellationToken cancellationToken);
}
