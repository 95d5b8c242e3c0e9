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
        using var writer = await database.WriteSessionAsync(cancellationToken).ConfigureAwait(false);

        // Same hash, same bytes: a second put only extends the retention.
        var command = writer.Session.Command(
            """
            INSERT INTO hr_originals (tenant, hash, content, created, expires) VALUES ($tenant, $hash, $content, $now, $expires)
            ON CONFLICT (tenant, hash) DO UPDATE SET expires = max(hr_originals.expires, excluded.expires)
            """,
            "$tenant",
            "$hash",
            "$content",
            "$now",
            "$expires");
        command.Parameters[0].Value = tenant.Value;
        command.Parameters[1].Value = hash;
        command.Parameters[2].Value = original.ToArray();
        command.Parameters[3].Value = now;
        command.Parameters[4].Value = now + retention.Ticks;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return hash;
    }

    public async Task<byte[]?> GetAsync(TenantId tenant, string hash, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(tenant.Value) || !OriginalHash.IsValid(hash))
        {
            return null;
        }

        using var lease = database.ReadSession();
        var command = lease.Session.Command("SELECT content FROM hr_originals WHERE tenant = $tenant AND hash = $hash AND expires > $now", "$tenant", "$hash", "$now");
        command.Parameters[0].Value = tenant.Value;
        command.Parameters[1].Value = hash;
        command.Parameters[2].Value = timeProvider.GetUtcNow().UtcTicks;
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }

    public async Task<int> SweepExpiredAsync(CancellationToken cancellationToken = default)
    {
        using var writer = await database.WriteSessionAsync(cancellationToken).ConfigureAwait(false);
        var command = writer.Session.Command("DELETE FROM hr_originals WHERE expires <= $now", "$now");
        command.Parameters[0].Value = timeProvider.GetUtcNow().UtcTicks;
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
