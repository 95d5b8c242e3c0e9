namespace Headroom.Provenance.Originals;

/// <summary>
/// Originals of lossy compressions, content-addressed by <see cref="OriginalHash"/> and scoped to a tenant:
/// a tenant never reads another tenant's original, even with the right hash. Entries expire after the
/// retention TTL; putting the same original again refreshes it.
/// </summary>
public interface IOriginalsStore
{
    /// <summary>Stores the bytes (idempotent) and returns their 24-hex hash.</summary>
    Task<string> PutAsync(TenantId tenant, ReadOnlyMemory<byte> original, CancellationToken cancellationToken = default);

    /// <summary>The exact bytes stored, or null when unknown, expired or owned by another tenant.</summary>
    Task<byte[]?> GetAsync(TenantId tenant, string hash, CancellationToken cancellationToken = default);

    /// <summary>Deletes expired originals; returns how many. Call it on a timer (e.g. hourly).</summary>
    Task<int> SweepExpiredAsync(CancellationToken cancellationToken = default);
}
