using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Caching;

/// <summary>
/// Sessions' cache histories, in memory (forensics restarts cold after a gateway restart: the first request
/// of each session is judged "cold"). Bounded: past the limit, the least recently seen half is dropped.
/// </summary>
internal sealed class CacheSessionStore
{
    private readonly ConcurrentDictionary<string, CacheSession> _sessions = new(StringComparer.Ordinal);
    private readonly int _max;
    private readonly Lock _evicting = new();

    public CacheSessionStore(IOptions<CachingOptions> options) => _max = Math.Max(16, options.Value.MaxSessions);

    public int Count => _sessions.Count;

    /// <summary>The system texts every session refers to, one copy each.</summary>
    public SystemTextTable SystemTexts { get; } = new();

    public CacheSession Get(string tenant, string session)
    {
        var key = tenant + "\0" + session;
        if (_sessions.TryGetValue(key, out var existing))
        {
            return existing;
        }

        if (_sessions.Count >= _max)
        {
            Evict();
        }

        return _sessions.GetOrAdd(key, static _ => new CacheSession());
    }

    private void Evict()
    {
        lock (_evicting)
        {
            if (_sessions.Count < _max)
            {
                return;
            }

            var oldest = _sessions
                .Select(kv => (kv.Key, At: kv.Value.LastAt ?? DateTimeOffset.MinValue))
                .OrderBy(x => x.At)
                .Take(_sessions.Count / 2)
                .ToList();
            foreach (var (key, _) in oldest)
            {
                _sessions.TryRemove(key, out _);
            }
        }
    }
}
