using Headroom.Gateway.Caching;

namespace Headroom.Gateway.Telemetry;

/// <summary>Cross-checks a cache verdict with the cache reads the provider reported.</summary>
internal static class CacheCheck
{
    public const string Consistent = "consistent";
    public const string NoUsage = "no_usage";
    public const string Uncached = "uncached";

    /// <summary>Hit expected, provider read nothing (prefix below the minimum, evicted, or a break the gateway cannot see).</summary>
    public const string UnexpectedMiss = "unexpected_miss";

    /// <summary>The provider read cache although the verdict expected none (a shorter prefix before the break).</summary>
    public const string UnexpectedRead = "unexpected_read";

    public static string? Of(CacheNotes? notes, TokenUsage? usage, bool anthropic)
    {
        if (notes?.Verdict is not { } verdict)
        {
            return null;
        }

        if (usage is null)
        {
            return NoUsage;
        }

        if (anthropic && notes.BreakpointsBy != "client" && notes.BreakpointsPlaced == 0)
        {
            return Uncached; // no breakpoint anywhere: Anthropic caches nothing
        }

        return verdict switch
        {
            CacheVerdict.Hit => usage.CacheReadTokens > 0 ? Consistent : UnexpectedMiss,
            _ => usage.CacheReadTokens > 0 ? UnexpectedRead : Consistent,
        };
    }
}
