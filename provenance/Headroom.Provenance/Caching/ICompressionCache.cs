namespace Headroom.Provenance.Caching;

/// <summary>
/// Persisted compression results, so a resent history is spliced with exactly the bytes sent last time,
/// across restarts and across replicas sharing PostgreSQL. The first stored entry for a key wins.
/// </summary>
public interface ICompressionCache
{
    Task<CompressionCacheEntry?> TryGetAsync(CompressionCacheKey key, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="entry"/> unless the key has one; returns the entry that is stored (use it, not yours).</summary>
    Task<CompressionCacheEntry> GetOrAddAsync(CompressionCacheKey key, CompressionCacheEntry entry, CancellationToken cancellationToken = default);
}
