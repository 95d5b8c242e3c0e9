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

    /// <summary>Estimated bytes of the fingerprints kept (the store's byte bound sums these).</summary>
    public long Bytes { get; private set; }

    /// <summary>Keeps <paramref name="fingerprint"/>, drops the oldest past the limit; returns the change in <see cref="Bytes"/>.</summary>
    public long Remember(PrefixFingerprint fingerprint)
    {
        var before = Bytes;
        Recent.Add(fingerprint);
        Bytes += Weight(fingerprint);
        if (Recent.Count > MaxFingerprints)
        {
            Bytes -= Weight(Recent[0]);
            Recent.RemoveAt(0);
        }

        return Bytes - before;
    }

    // A PrefixEntry is 40 bytes; a tool row about 40 plus its name's characters; a system range 24; the lists and the object about 200.
    private static long Weight(PrefixFingerprint f)
    {
        long bytes = 200 + (40L * f.Entries.Count) + (24L * f.SystemRanges.Count);
        foreach (var (name, _) in f.Tools)
        {
            bytes += 40 + (2L * name.Length);
        }

        return bytes;
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
