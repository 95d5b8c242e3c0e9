using Headroom.Provenance.EventStore.Sqlite;

namespace Headroom.Provenance.Originals;

/// <summary>Originals in hr_originals in the embedded SQLite file, keyed by (tenant, hash).</summary>
internal sealed class SqliteOriginalsStore(SqliteDatabase database, TimeProvider timeProvider, TimeSpan retention) : IOriginalsStore
{
    public async Task<string> PutAsync(TenantId tenant, ReadOnlyMemory<byte> original, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant.Value, nameof(tenant));
        var hash = OriginalHash.Compute(original.Span);
        var now = timeProvider.GetUtcNow().UtcTicks;
        await database.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await database.OpenConnectionAsync(cancellationToken, forWrite: true).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                // Same hash, same bytes: a second put only extends the retention.
                await using var command = SqliteCommands.Create(
                    connection,
                    null,
                    """
                    INSERT INTO hr_originals (tenant, hash, content, created, expires) VALUES ($tenant, $hash, $content, $now, $expires)
                    ON CONFLICT (tenant, hash) DO UPDATE SET expires = max(hr_originals.expires, excluded.expires)
                    """,
                    ("$tenant", tenant.Value),
                    ("$hash", hash),
                    ("$content", original.ToArray()),
                    ("$now", now),
                    ("$expires", now + retention.Ticks));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            database.WriteLock.Release();
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
            await using var command = SqliteCommands.Create(
                connection,
                null,
                "SELECT content FROM hr_originals WHERE tenant = $tenant AND hash = $hash AND expires > $now",
                ("$tenant", tenant.Value),
                ("$hash", hash),
                ("$now", timeProvider.GetUtcNow().UtcTicks));
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
        }
    }

    public async Task<int> SweepExpiredAsync(CancellationToken cancellationToken = default)
    {
        await database.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await database.OpenConnectionAsync(cancellationToken, forWrite: true).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await using var command = SqliteCommands.Create(connection, null, "DELETE FROM hr_originals WHERE expires <= $now", ("$now", timeProvider.GetUtcNow().UtcTicks));
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            database.WriteLock.Release();
        }
    }
}
