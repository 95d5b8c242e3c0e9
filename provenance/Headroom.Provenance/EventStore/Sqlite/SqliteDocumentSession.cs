using Headroom.Provenance.Projections;
using Microsoft.Data.Sqlite;

namespace Headroom.Provenance.EventStore.Sqlite;

/// <summary>hr_documents rows read and upserted inside one SQLite transaction.</summary>
internal sealed class SqliteDocumentSession(SqliteConnection connection, SqliteTransaction transaction, long nowTicks) : IDocumentSession
{
    public async Task<IReadOnlyDictionary<string, byte[]>> LoadManyAsync(string type, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, byte[]>(ids.Count, StringComparer.Ordinal);
        await using var command = SqliteCommands.Create(connection, transaction, "SELECT data FROM hr_documents WHERE type = $type AND id = $id", ("$type", type), ("$id", string.Empty));
        foreach (var id in ids)
        {
            command.Set("$id", id);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] data)
            {
                result[id] = data;
            }
        }

        return result;
    }

    public async Task UpsertManyAsync(string type, IReadOnlyList<KeyValuePair<string, byte[]>> documents, CancellationToken cancellationToken)
    {
        await using var command = SqliteCommands.Create(
            connection,
            transaction,
            "INSERT INTO hr_documents (type, id, data, updated) VALUES ($type, $id, $data, $now) ON CONFLICT (type, id) DO UPDATE SET data = excluded.data, updated = excluded.updated",
            ("$type", type),
            ("$id", string.Empty),
            ("$data", Array.Empty<byte>()),
            ("$now", nowTicks));
        foreach (var (id, data) in documents)
        {
            command.Set("$id", id);
            command.Set("$data", data);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
