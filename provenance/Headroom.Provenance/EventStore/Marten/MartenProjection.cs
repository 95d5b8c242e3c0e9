using Headroom.Provenance.Projections;
using JasperFx.Events;
using Marten;

namespace Headroom.Provenance.EventStore.Marten;

/// <summary>
/// One of the store's projections registered with Marten: inline ones run in Marten's append transaction,
/// async ones in the async daemon, which saves their progress in the same transaction as their documents.
/// </summary>
internal sealed class MartenProjection(IProjection projection) : global::Marten.Events.Projections.IProjection
{
    public string Name => projection.Name;

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var recorded = new RecordedEvent[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            recorded[i] = MartenEvents.ToRecorded(events[i]);
        }

        return projection.ApplyAsync(recorded, new MartenDocumentSession(operations), cancellation);
    }
}
