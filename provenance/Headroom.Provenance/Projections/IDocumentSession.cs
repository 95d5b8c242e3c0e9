namespace Headroom.Provenance.Projections;

/// <summary>JSON documents keyed by (type, id), read and written inside the caller's transaction.</summary>
internal interface IDocumentSession
{
    Task<IReadOnlyDictionary<string, byte[]>> LoadManyAsync(string type, IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    Task UpsertManyAsync(string type, IReadOnlyList<KeyValuePair<string, byte[]>> documents, CancellationToken cancellationToken);
}
