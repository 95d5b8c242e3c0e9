using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Caching;

/// <summary>
/// Sessions' cache histories, in memory (forensics restarts cold after a gateway restart: the first request
/// of each session is judged "cold"). Bounded in sessions and in bytes (a long agent session keeps eight
/// fingerprints of hundreds of blocks each): past either limit, the least recently seen half is dropped.
/// </summary>
internal sealed class CacheSessionStore
{
    /// <summary>Fingerprint bytes all sessions may keep together.</summary>
    public const long DefaultMaxBytes = 16L << 20;

    private readonly ConcurrentDictionary<string, CacheSession> _sessions = new(StringComparer.Ordinal);
    private readonly int _max;
    private readonly long _maxBytes;
    private readonly Lock _evicting = new();
    private long _bytes;

    public CacheSessionStore(IOptions<CachingOptions> options, long maxBytes = DefaultMaxBytes)
    {
        _max = Math.Max(16, options.Value.MaxSessions);
        _maxBytes = maxBytes;
    }

    /// <summary>Estimated fingerprint bytes the sessions hold.</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Counts what a session's <see cref="CacheSession.Remember"/> added.</summary>
    public void Charge(long bytes) => Interlocked.Add(ref _bytes, bytes);


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

        if (_sessions.Count >= _max || Volatile.Read(ref _bytes) > _maxBytes)
        {
            Evict();
        }

        return _sessions.GetOrAdd(key, static _ => new CacheSession());
    }

    private void Evict()
    {
        lock (_evicting)
        {
            if (_sessions.Count < _max && Volatile.Read(ref _bytes) <= _maxBytes)
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

            // Recounted from what is left (a session charged while it was being dropped is not counted twice).
            long bytes = 0;
            foreach (var session in _sessions.Values)
            {
                bytes += session.Bytes;
            }

            Volatile.Write(ref _bytes, bytes);
        }
    }
}
