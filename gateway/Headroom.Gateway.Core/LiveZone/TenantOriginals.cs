using System.Collections.Concurrent;
using Headroom.Provenance.Originals;

namespace Headroom.Gateway.LiveZone;

/// <summary>
/// Which (tenant, original hash) pairs this process knows the originals store holds, so a replayed
/// lossy output costs a store write only the first time a tenant presents it. Bounded: two
/// generations of at most <c>generationSize</c> entries; forgetting one only costs an idempotent put.
/// </summary>
internal sealed class TenantOriginals
{
    private readonly int _generationSize;
    private readonly Lock _rotate = new();
    private ConcurrentDictionary<string, byte> _current = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, byte> _previous = new(StringComparer.Ordinal);

    public TenantOriginals(int generationSize = 100_000) => _generationSize = generationSize;

    public bool Contains(TenantId tenant, string hash)
    {
        var key = Key(tenant, hash);
        return _current.ContainsKey(key) || _previous.ContainsKey(key);
    }

    public void Add(TenantId tenant, string hash)
    {
        _current[Key(tenant, hash)] = 0;
        if (_current.Count < _generationSize)
        {
            return;
        }

        lock (_rotate)
        {
            if (_current.Count >= _generationSize)
            {
                _previous = _current;
                _current = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
            }
        }
    }

    private static string Key(TenantId tenant, string hash) => tenant.Value + "\0" + hash;
}
