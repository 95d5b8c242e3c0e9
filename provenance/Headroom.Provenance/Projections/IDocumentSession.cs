using Headroom.Provenance.EventStore;

namespace Headroom.Provenance.Projections;

/// <summary>JSON documents keyed by (type, id), and streams, read and written inside the caller's transaction.</summary>
internal interface IDocumentSession
{
    Task<IReadOnlyDictionary<string, byte[]>> LoadManyAsync(string type, IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    Task UpsertManyAsync(string type, IReadOnlyList<KeyValuePair<string, byte[]>> documents, CancellationToken cancellationToken);

    /// <summary>The events of one stream in version order (empty for an unknown stream), as the transaction sees them.</summary>
    Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, CancellationToken cancellationToken);
}
