using Headroom.Provenance.Projections;

namespace Headroom.Provenance.EventStore.Sqlite;

/// <summary>hr_documents rows read and upserted, and streams read, inside the writer session's open transaction.</summary>
internal sealed class SqliteDocumentSession(SqliteSession session, long nowTicks) : IDocumentSession
{
    public Task<IReadOnlyDictionary<string, byte[]>> LoadManyAsync(string type, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, byte[]>(ids.Count, StringComparer.Ordinal);
        if (ids.Count > 0)
        {
            var load = session.Statement("SELECT data FROM hr_documents WHERE type = ?1 AND id = ?2");
            foreach (var id in ids)
            {
                try
                {
                    load.Bind(1, type);
                    load.Bind(2, id);
                    if (load.Step())
                    {
                        result[id] = load.Blob(0).ToArray();
                    }
                }
                finally
                {
                    load.Reset();
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, byte[]>>(result);
    }

    public Task UpsertManyAsync(string type, IReadOnlyList<KeyValuePair<string, byte[]>> documents, CancellationToken cancellationToken)
    {
        var upsert = session.Statement("INSERT INTO hr_documents (type, id, data, updated) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (type, id) DO UPDATE SET data = excluded.data, updated = excluded.updated");
        foreach (var (id, data) in documents)
        {
            try
            {
                upsert.Bind(1, type);
                upsert.Bind(2, id);
                upsert.Bind(3, data);
                upsert.Bind(4, nowTicks);
                upsert.Step();
            }
            finally
            {
                upsert.Reset();
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, CancellationToken cancellationToken) =>
        Task.FromResult(SqliteEventStore.ReadStream(session, streamId));
}
