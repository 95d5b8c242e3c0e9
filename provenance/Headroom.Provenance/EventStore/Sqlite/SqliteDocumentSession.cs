using Headroom.Provenance.Projections;

namespace Headroom.Provenance.EventStore.Sqlite;

/// <summary>hr_documents rows read and upserted inside the writer session's open transaction.</summary>
internal sealed class SqliteDocumentSession(SqliteSession session, long nowTicks) : IDocumentSession
{
    public async Task<IReadOnlyDictionary<string, byte[]>> LoadManyAsync(string type, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, byte[]>(ids.Count, StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return result;
        }

        var command = session.Command("SELECT data FROM hr_documents WHERE type = $type AND id = $id", "$type", "$id");
        command.Parameters[0].Value = type;
        foreach (var id in ids)
        {
            command.Parameters[1].Value = id;
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] data)
            {
                result[id] = data;
            }
        }

        return result;
    }

    public async Task UpsertManyAsync(string type, IReadOnlyList<KeyValuePair<string, byte[]>> documents, CancellationToken cancellationToken)
    {
        var command = session.Command(
            "INSERT INTO hr_documents (type, id, data, updated) VALUES ($type, $id, $data, $now) ON CONFLICT (type, id) DO UPDATE SET data = excluded.data, updated = excluded.updated",
            "$type",
            "$id",
            "$data",
            "$now");
        command.Parameters[0].Value = type;
        command.Parameters[3].Value = nowTicks;
        foreach (var (id, data) in documents)
        {
            command.Parameters[1].Value = id;
            command.Parameters[2].Value = data;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
