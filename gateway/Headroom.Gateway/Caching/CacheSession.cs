namespace Headroom.Gateway.Caching;

/// <summary>What the gateway remembers about one session's cache: recent prefixes, gaps and TTL.</summary>
internal sealed class CacheSession
{
    public const int MaxFingerprints = 8;
    public const int MaxGaps = 32;

    public Lock Gate { get; } = new();
    public List<PrefixFingerprint> Recent { get; } = [];
    public List<double> Gaps { get; } = [];
    public DateTimeOffset? LastAt { get; set; }
    public CacheTtl Ttl { get; set; }

    /// <summary>
    /// System prompts seen in this session by client hash (few per session). The strings are the shared
    /// table's (<see cref="SystemTextTable"/>): sessions of one agent share one copy of its prompt.
    /// </summary>
    public Dictionary<ulong, string> SystemTexts { get; } = [];

    public const int MaxSystemTexts = 6;

    public void KeepSystemTexts(PrefixFingerprint fingerprint, ReadOnlySpan<byte> body, SystemTextTable shared)
    {
        foreach (var (hash, range) in fingerprint.SystemRanges)
        {
            if (SystemTexts.ContainsKey(hash))
            {
                continue;
            }

            if (SystemTexts.Count >= MaxSystemTexts)
            {
                SystemTexts.Remove(SystemTexts.Keys.First());
            }

            SystemTexts[hash] = shared.Intern(hash, body[range.Start..Math.Min(range.End, range.Start + PrefixFingerprint.MaxKeptBytes)]);
        }
    }

    public void Remember(PrefixFingerprint fingerprint)
    {
        Recent.Add(fingerprint);
        if (Recent.Count > MaxFingerprints)
        {
            Recent.RemoveAt(0);
        }
    }

    public void AddGap(double seconds)
    {
        Gaps.Add(seconds);
        if (Gaps.Count > MaxGaps)
        {
            Gaps.RemoveAt(0);
        }
    }
}
