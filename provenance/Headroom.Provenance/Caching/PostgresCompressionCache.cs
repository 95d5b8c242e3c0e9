using Headroom.Provenance.EventStore.Postgres;
using Npgsql;

namespace Headroom.Provenance.Caching;

/// <summary>hr_compression_cache on PostgreSQL: shared by every replica.</summary>
internal sealed class PostgresCompressionCache(PostgresDatabase database) : ICompressionCache
{
    public async Task<CompressionCacheEntry?> TryGetAsync(CompressionCacheKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.Validate();
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand(
                "SELECT output, spans FROM hr_compression_cache WHERE original_hash = $1 AND compressor = $2 AND compressor_version = $3 AND options = $4",
                connection);
            Bind(command, key);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new CompressionCacheEntry(reader.GetFieldValue<byte[]>(0), SpanCodec.Decode(reader.GetFieldValue<byte[]>(1)))
                : null;
        }
    }

    public async Task<CompressionCacheEntry> GetOrAddAsync(CompressionCacheKey key, CompressionCacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entry);
        key.Validate();
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO hr_compression_cache (original_hash, compressor, compressor_version, options, output, spans) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                connection);
            Bind(command, key);
            command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = entry.Output });
            command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = SpanCodec.Encode(entry.Spans) });
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                return entry;
            }
        }

        // Another replica stored it first: its bytes are the ones every later turn must replay.
        return await TryGetAsync(key, cancellationToken).ConfigureAwait(false) ?? entry;
    }

    private static void Bind(NpgsqlCommand command, CompressionCacheKey key)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.OriginalHash });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Compressor });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.CompressorVersion });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.OptionsFingerprint });
    }
}
