using Headroom.Provenance.EventStore.Sqlite;

namespace Headroom.Provenance.Caching;

/// <summary>hr_compression_cache in the embedded SQLite file.</summary>
internal sealed class SqliteCompressionCache(SqliteDatabase database, TimeProvider timeProvider) : ICompressionCache
{
    public Task<CompressionCacheEntry?> TryGetAsync(CompressionCacheKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.Validate();

        // A lookup per request (replayed outputs, session marks): a prepared statement on a reader session.
        using var lease = database.ReadSession();
        var lookup = lease.Session.Statement("SELECT output, spans FROM hr_compression_cache WHERE original_hash = ?1 AND compressor = ?2 AND compressor_version = ?3 AND options = ?4");
        try
        {
            lookup.Bind(1, key.OriginalHash);
            lookup.Bind(2, key.Compressor);
            lookup.Bind(3, key.CompressorVersion);
            lookup.Bind(4, key.OptionsFingerprint);
            return Task.FromResult(lookup.Step() ? new CompressionCacheEntry(lookup.Blob(0).ToArray(), SpanCodec.Decode(lookup.Blob(1))) : null);
        }
        finally
        {
            lookup.Reset();
        }
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
