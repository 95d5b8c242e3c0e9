using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Headroom.Provenance.EventStore;

namespace Headroom.Provenance.Projections;

/// <summary>
/// A projection that folds each event into one JSON document chosen by the event. Pure fold
/// (<see cref="Apply"/>) at the centre; one load and one upsert per batch at the edges.
/// </summary>
internal abstract class DocumentProjection<TDocument> : IProjection
    where TDocument : class
{
    public abstract string Name { get; }

    public abstract string DocumentType { get; }

    protected abstract JsonTypeInfo<TDocument> TypeInfo { get; }

    /// <summary>The document the event belongs to, or null when the projection ignores it.</summary>
    protected abstract string? DocumentIdFor(RecordedEvent e);

    protected abstract TDocument? Apply(TDocument? current, string id, RecordedEvent e);

    /// <summary>
    /// True when the document id is the stream id and the projection has seen every event of the stream
    /// (inline from the first append): a stream starting in this batch (version 1) has no document yet,
    /// so it is not looked up.
    /// </summary>
    protected virtual bool DocumentPerStream => false;

    public async Task ApplyAsync(IReadOnlyList<RecordedEvent> events, IDocumentSession session, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var toLoad = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (DocumentIdFor(e) is { } id && ids.Add(id) && !(DocumentPerStream && e.Version == 1))
            {
                toLoad.Add(id);
            }
        }

        if (ids.Count == 0)
        {
            return;
        }

        var stored = await session.LoadManyAsync(DocumentType, toLoad, cancellationToken).ConfigureAwait(false);
        var documents = new Dictionary<string, TDocument?>(ids.Count, StringComparer.Ordinal);
        foreach (var (id, json) in stored)
        {
            documents[id] = JsonSerializer.Deserialize(json, TypeInfo);
        }

        foreach (var e in events)
        {
            if (DocumentIdFor(e) is { } id)
            {
                documents[id] = Apply(documents.GetValueOrDefault(id), id, e);
            }
        }

        var upserts = new List<KeyValuePair<string, byte[]>>(documents.Count);
        foreach (var (id, document) in documents)
        {
            if (document is not null)
            {
                upserts.Add(new(id, JsonSerializer.SerializeToUtf8Bytes(document, TypeInfo)));
            }
        }

        await session.UpsertManyAsync(DocumentType, upserts, cancellationToken).ConfigureAwait(false);
    }

    public TDocument? Deserialize(byte[] json) => JsonSerializer.Deserialize(json, TypeInfo);
}
