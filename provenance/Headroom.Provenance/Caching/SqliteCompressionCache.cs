using Headroom.Provenance.EventStore.Sqlite;

namespace Headroom.Provenance.Caching;

/// <summary>hr_compression_cache in the embedded SQLite file.</summary>
internal sealed class SqliteCompressionCache(SqliteDatabase database, TimeProvider timeProvider) : ICompressionCache
{
    private const string Where = "original_hash = $hash AND compressor = $compressor AND compressor_version = $version AND options = $options";

    public async Task<CompressionCacheEntry?> TryGetAsync(CompressionCacheKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.Validate();
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = SqliteCommands.Create(connection, null, $"SELECT output, spans FROM hr_compression_cache WHERE {Where}", Parameters(key));
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
        await database.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await database.OpenConnectionAsync(cancellationToken, forWrite: true).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await using var command = SqliteCommands.Create(
                    connection,
                    null,
                    "INSERT INTO hr_compression_cache (original_hash, compressor, compressor_version, options, output, spans, created) VALUES ($hash, $compressor, $version, $options, $output, $spans, $now) ON CONFLICT DO NOTHING",
                    [.. Parameters(key), ("$output", entry.Output.ToArray()), ("$spans", SpanCodec.Encode(entry.Spans)), ("$now", timeProvider.GetUtcNow().UtcTicks)]);
                if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    return entry;
                }
            }
        }
        finally
        {
            database.WriteLock.Release();
        }

        return await TryGetAsync(key, cancellationToken).ConfigureAwait(false) ?? entry;
    }

    private static (string, object?)[] Parameters(CompressionCacheKey key) =>
    [
        ("$hash", key.OriginalHash),
        ("$compressor", key.Compressor),
        ("$version", key.CompressorVersion),
        ("$options", key.OptionsFingerprint),
    ];
}
