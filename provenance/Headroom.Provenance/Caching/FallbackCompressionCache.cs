using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Headroom.Provenance.Caching;

/// <summary>
/// The compression cache with an in-process fallback: while the store is unreachable, lookups and adds are
/// served from memory (bounded by entries), so a resent history still replays the bytes sent last time and
/// compression does not fail open. When the store answers again, the entries added meanwhile are written to
/// it (the store's first entry wins, as always).
/// </summary>
internal sealed class FallbackCompressionCache(ICompressionCache store, int maxEntries, ILogger logger) : ICompressionCache
{
    private readonly ConcurrentDictionary<CompressionCacheKey, CompressionCacheEntry> _local = new();
    private readonly ConcurrentQueue<CompressionCacheKey> _order = new();
    private readonly ConcurrentDictionary<CompressionCacheKey, byte> _pending = new();
    private readonly SemaphoreSlim _reconciling = new(1, 1);

    /// <summary>Entries added while the store was down and not yet written to it.</summary>
    public int Pending => _pending.Count;

    public async Task<CompressionCacheEntry?> TryGetAsync(CompressionCacheKey key, CancellationToken cancellationToken = default)
    {
        CompressionCacheEntry? stored;
        try
        {
            stored = await store.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsOutage(ex, cancellationToken))
        {
            ProvenanceLog.FallbackEngaged(logger, "compression cache", _pending.Count, ex);
            return _local.GetValueOrDefault(key);
        }

        await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        return stored ?? (_pending.ContainsKey(key) ? _local.GetValueOrDefault(key) : null);
    }

    public async Task<CompressionCacheEntry> GetOrAddAsync(CompressionCacheKey key, CompressionCacheEntry entry, CancellationToken cancellationToken = default)
    {
        CompressionCacheEntry stored;
        try
        {
            stored = await store.GetOrAddAsync(key, _local.GetValueOrDefault(key) ?? entry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsOutage(ex, cancellationToken))
        {
            ProvenanceLog.FallbackEngaged(logger, "compression cache", _pending.Count, ex);
            return AddLocal(key, entry);
        }

        _pending.TryRemove(key, out _);
        await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    private CompressionCacheEntry AddLocal(CompressionCacheKey key, CompressionCacheEntry entry)
    {
        var kept = _local.GetOrAdd(key, entry);
        if (ReferenceEquals(kept, entry))
        {
            _pending[key] = 0;
            _order.Enqueue(key);

            // Bounded: the oldest entries go first (a dropped entry is recomputed: compression is deterministic).
            while (_local.Count > maxEntries && _order.TryDequeue(out var oldest))
            {
                _local.TryRemove(oldest, out _);
                _pending.TryRemove(oldest, out _);
            }
        }

        return kept;
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        if (_pending.IsEmpty || !await _reconciling.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            var written = 0;
            foreach (var key in _pending.Keys)
            {
                if (_local.TryGetValue(key, out var entry))
                {
                    await store.GetOrAddAsync(key, entry, cancellationToken).ConfigureAwait(false);
                    written++;
                }

                _pending.TryRemove(key, out _);
                _local.TryRemove(key, out _);
            }

            ProvenanceLog.FallbackReconciled(logger, "compression cache", written);
        }
#pragma warning disable CA1031 // Down again: the rest stays pending for the next success.
        catch (Exception ex) when (IsOutage(ex, cancellationToken))
#pragma warning restore CA1031
        {
        }
        finally
        {
            _reconciling.Release();
        }
    }

    /// <summary>A failure of the store itself (not the caller cancelling, not misuse).</summary>
    internal static bool IsOutage(Exception ex, CancellationToken cancellationToken) =>
        ex is not (ArgumentException or OperationCanceledException) || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
