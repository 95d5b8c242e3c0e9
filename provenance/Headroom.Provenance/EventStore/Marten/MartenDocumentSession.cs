using Headroom.Provenance.Projections;
using Marten;

namespace Headroom.Provenance.EventStore.Marten;

/// <summary>
/// The projections' document seam over Marten's unit of work: inline projections see the append's session,
/// async ones the daemon's batch, so documents commit with the events (inline) or with the progress (async).
/// </summary>
internal sealed class MartenDocumentSession(IDocumentOperations operations) : Projections.IDocumentSession
{
    public async Task<IReadOnlyDictionary<string, byte[]>> LoadManyAsync(string type, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, byte[]>(ids.Count, StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return result;
        }

        var prefix = type.Length + 1;
        var documents = await operations.LoadManyAsync<ProjectionDocument>(cancellationToken, ids.Select(id => ProjectionDocument.Key(type, id))).ConfigureAwait(false);
        foreach (var document in documents)
        {
            result[document.Id[prefix..]] = document.Data;
        }

        return result;
    }

    public Task UpsertManyAsync(string type, IReadOnlyList<KeyValuePair<string, byte[]>> documents, CancellationToken cancellationToken)
    {
        foreach (var (id, json) in documents)
        {
            operations.Store(new ProjectionDocument { Id = ProjectionDocument.Key(type, id), Data = json });
        }

        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, CancellationToken cancellationToken)
    {
        var events = await operations.Events.FetchStreamAsync(streamId, token: cancellationToken).ConfigureAwait(false);
        var recorded = new RecordedEvent[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            recorded[i] = MartenEvents.ToRecorded(events[i]);
        }

        return recorded;
    }
}
