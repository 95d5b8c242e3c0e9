namespace Headroom.Gateway.Caching;

/// <summary>
/// What the cache planners decided and found for one request, carried in
/// <c>RequestPlan.Annotations["cache"]</c> to the request record (then events, feed and spans).
/// </summary>
public sealed class CacheNotes
{
    public const string AnnotationKey = "cache";

    /// <summary><see cref="CacheVerdict"/> constant, or null when forensics is off or the body was not understood.</summary>
    public string? Verdict { get; set; }

    /// <summary>Where the prefix broke: "model", "tools", "system[0]", "message[3].block[1]".</summary>
    public string? BrokenAt { get; set; }

    public string? Cause { get; set; }

    /// <summary>What changed, e.g. <c>system[0] @1204: "2026-11-21" → "2026-11-22"</c> or <c>tool Bash</c>.</summary>
    public string? Detail { get; set; }

    /// <summary>Seconds since the matched earlier request of the session.</summary>
    public double? GapSeconds { get; set; }

    /// <summary>The TTL the matched earlier request was cached under.</summary>
    public int? TtlSeconds { get; set; }

    /// <summary>Estimated tokens (bytes / 4) of the prefix repeated from the earlier request.</summary>
    public long ReusablePrefixTokens { get; set; }

    /// <summary>"client" when the client placed cache_control itself, else how many the gateway placed.</summary>
    public string? BreakpointsBy { get; set; }

    public int BreakpointsPlaced { get; set; }

    /// <summary>Why candidate breakpoints were not placed (below the model's minimum, ...).</summary>
    public List<string> BreakpointNotes { get; } = [];

    /// <summary>"5m" or "1h": the TTL of the breakpoints the gateway placed.</summary>
    public string? Ttl { get; set; }

    /// <summary>Expected saving per follow-up request of the chosen TTL over the other one (USD; null when unpriced).</summary>
    public decimal? TtlExpectedSavingUsd { get; set; }

    public bool PromptCacheKeyInjected { get; set; }

    public bool IncludeUsageInjected { get; set; }

    /// <summary>True when the client did not ask for the usage chunk: the gateway strips it from the stream.</summary>
    public bool StripUsageChunk { get; set; }

    public List<VolatileFinding> Volatile { get; } = [];

    /// <summary>Volatile system lines moved to the end (only with Headroom:Caching:MoveVolatileToEnd).</summary>
    public int VolatileLinesMoved { get; set; }

    /// <summary>True when the gateway added caching the client did not ask for (breakpoints): caching savings are the gateway's.</summary>
    public bool GatewayCaching => BreakpointsPlaced > 0;

    public static CacheNotes For(IDictionary<string, object?> annotations)
    {
        if (annotations.TryGetValue(AnnotationKey, out var existing) && existing is CacheNotes notes)
        {
            return notes;
        }

        notes = new CacheNotes();
        annotations[AnnotationKey] = notes;
        return notes;
    }

    public static CacheNotes? From(IReadOnlyDictionary<string, object?>? annotations) =>
        annotations is not null && annotations.TryGetValue(AnnotationKey, out var value) ? value as CacheNotes : null;
}
