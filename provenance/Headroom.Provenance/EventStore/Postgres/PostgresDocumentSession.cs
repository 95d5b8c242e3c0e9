using System.Text;
using Headroom.Provenance.Projections;
using Npgsql;
using NpgsqlTypes;

namespace Headroom.Provenance.EventStore.Postgres;

/// <summary>hr_documents rows read and upserted inside one PostgreSQL transaction.</summary>
internal sealed class PostgresDocumentSession(NpgsqlConnection connection, NpgsqlTransaction transaction) : IDocumentSession
{
    public async Task<IReadOnlyDictionary<string, byte[]>> LoadManyAsync(string type, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, byte[]>(ids.Count, StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return result;
        }

        await using var command = new NpgsqlCommand("SELECT id, data::text FROM hr_documents WHERE type = $1 AND id = ANY($2)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ids] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[reader.GetString(0)] = Encoding.UTF8.GetBytes(reader.GetString(1));
        }

        return result;
    }

    public async Task UpsertManyAsync(string type, IReadOnlyList<KeyValuePair<string, byte[]>> documents, CancellationToken cancellationToken)
    {
        if (documents.Count == 0)
        {
            return;
        }

        var ids = new string[documents.Count];
        var data = new string[documents.Count];
        for (var i = 0; i < documents.Count; i++)
        {
            ids[i] = documents[i].Key;
            data[i] = Encoding.UTF8.GetString(documents[i].Value);
        }

        await using var command = new NpgsqlCommand(
            """
            INSERT INTO hr_documents (type, id, data, updated)
            SELECT $1, u.id, u.data, now() FROM unnest($2::text[], $3::jsonb[]) AS u(id, data)
            ON CONFLICT (type, id) DO UPDATE SET data = excluded.data, updated = excluded.updated
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
