using System.Collections.Concurrent;
using Headroom.Provenance.Caching;
using Microsoft.Extensions.Logging;

namespace Headroom.Provenance.Originals;

/// <summary>
/// The originals store with an in-process fallback: while the store is unreachable, puts are kept in memory
/// (bounded by bytes; past the bound a put fails as before, and the caller fails open) and gets are served
/// from them for the same tenant only, so a marker written during an outage stays retrievable. When the store
/// answers again, the kept originals are written to it.
/// </summary>
internal sealed class FallbackOriginalsStore(IOriginalsStore store, long maxBytes, ILogger logger) : IOriginalsStore
{
    private readonly ConcurrentDictionary<(TenantId Tenant, string Hash), byte[]> _pending = new();
    private readonly SemaphoreSlim _reconciling = new(1, 1);
    private long _bytes;

    /// <summary>Originals kept in memory, not yet written to the store.</summary>
    public int Pending => _pending.Count;

    public async Task<string> PutAsync(TenantId tenant, ReadOnlyMemory<byte> original, CancellationToken cancellationToken = default)
    {
        string hash;
        try
        {
            hash = await store.PutAsync(tenant, original, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (FallbackCompressionCache.IsOutage(ex, cancellationToken) && Interlocked.Read(ref _bytes) + original.Length <= maxBytes)
        {
            ProvenanceLog.FallbackEngaged(logger, "originals store", _pending.Count, ex);
            hash = OriginalHash.Compute(original.Span);
            if (_pending.TryAdd((tenant, hash), original.ToArray()))
            {
                Interlocked.Add(ref _bytes, original.Length);
            }

            return hash;
        }

        await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        return hash;
    }

    public async Task<byte[]?> GetAsync(TenantId tenant, string hash, CancellationToken cancellationToken = default)
    {
        byte[]? stored;
        try
        {
            stored = await store.GetAsync(tenant, hash, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (FallbackCompressionCache.IsOutage(ex, cancellationToken) && _pending.ContainsKey((tenant, hash)))
        {
            return _pending.GetValueOrDefault((tenant, hash));
        }

        await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        return stored ?? _pending.GetValueOrDefault((tenant, hash));
    }

    public Task<int> SweepExpiredAsync(CancellationToken cancellationToken = default) => store.SweepExpiredAsync(cancellationToken);

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        if (_pending.IsEmpty || !await _reconciling.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            var written = 0;
            foreach (var ((tenant, hash), bytes) in _pending)
            {
                await store.PutAsync(tenant, bytes, cancellationToken).ConfigureAwait(false);
                if (_pending.TryRemove((tenant, hash), out _))
                {
                    Interlocked.Add(ref _bytes, -bytes.Length);
                    written++;
                }
            }

            ProvenanceLog.FallbackReconciled(logger, "originals store", written);
        }
        catch (Exception ex) when (FallbackCompressionCache.IsOutage(ex, cancellationToken))
        {
            // Down again: the rest stays in memory for the next success.
        }
        finally
        {
            _reconciling.Release();
        }
    }
}
