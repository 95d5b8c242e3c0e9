using Headroom.Provenance.EventStore.Postgres;
using Npgsql;

namespace Headroom.Provenance.Originals;

/// <summary>Originals in hr_originals on PostgreSQL, keyed by (tenant, hash).</summary>
internal sealed class PostgresOriginalsStore(PostgresDatabase database, TimeProvider timeProvider, TimeSpan retention) : IOriginalsStore
{
    public async Task<string> PutAsync(TenantId tenant, ReadOnlyMemory<byte> original, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant.Value, nameof(tenant));
        var hash = OriginalHash.Compute(original.Span);
        var now = timeProvider.GetUtcNow();
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Same hash, same bytes: a second put only extends the retention.
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO hr_originals (tenant, hash, content, created, expires) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (tenant, hash) DO UPDATE SET expires = greatest(hr_originals.expires, excluded.expires)
                """,
                connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = hash });
            command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = original });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now + retention });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return hash;
    }

    public async Task<byte[]?> GetAsync(TenantId tenant, string hash, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(tenant.Value) || !OriginalHash.IsValid(hash))
        {
            return null;
        }

        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand("SELECT content FROM hr_originals WHERE tenant = $1 AND hash = $2 AND expires > $3", connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant.Value });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = hash });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = timeProvider.GetUtcNow() });
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
        }
    }

    public async Task<int> SweepExpiredAsync(CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand("DELETE FROM hr_originals WHERE expires <= $1", connection);
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = timeProvider.GetUtcNow() });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
