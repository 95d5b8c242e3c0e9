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
        using var lease = database.ReadSession();
        var command = lease.Session.Command($"SELECT output, spans FROM hr_compression_cache WHERE {Where}", "$hash", "$compressor", "$version", "$options");
        SetKey(command.Parameters, key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new CompressionCacheEntry(reader.GetFieldValue<byte[]>(0), SpanCodec.Decode(reader.GetFieldValue<byte[]>(1)))
            : null;
    }

    public async Task<CompressionCacheEntry> GetOrAddAsync(CompressionCacheKey key, CompressionCacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entry);
        key.Validate();
        using (var writer = await database.WriteSessionAsync(cancellationToken).ConfigureAwait(false))
        {
            var command = writer.Session.Command(
                "INSERT INTO hr_compression_cache (original_hash, compressor, compressor_version, options, output, spans, created) VALUES ($hash, $compressor, $version, $options, $output, $spans, $now) ON CONFLICT DO NOTHING",
                "$hash",
                "$compressor",
                "$version",
                "$options",
                "$output",
                "$spans",
                "$now");
            SetKey(command.Parameters, key);
            command.Parameters[4].Value = entry.Output.ToArray();
            command.Parameters[5].Value = SpanCodec.Encode(entry.Spans);
            command.Parameters[6].Value = timeProvider.GetUtcNow().UtcTicks;
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                return entry;
            }
        }

        return await TryGetAsync(key, cancellationToken).ConfigureAwait(false) ?? entry;
    }

    private static void SetKey(Microsoft.Data.Sqlite.SqliteParameterCollection parameters, CompressionCacheKey key)
    {
        parameters[0].Value = key.OriginalHash;
        parameters[1].Value = key.Compressor;
        parameters[2].Value = key.CompressorVersion;
        parameters[3].Value = key.OptionsFingerprint;
    }
}
