namespace Headroom.Gateway.Caching;

/// <summary>Verdict names, as they appear in annotations, events and the feed.</summary>
public static class CacheVerdict
{
    /// <summary>No earlier request of this session shares the prefix: nothing to read yet.</summary>
    public const string Cold = "cold";

    /// <summary>The whole previous prefix is repeated byte for byte within the TTL.</summary>
    public const string Hit = "hit";

    /// <summary>The prefix is intact but the gap exceeded the TTL.</summary>
    public const string TtlExpired = "ttl_expired";

    /// <summary>The prefix differs at <see cref="CacheNotes.BrokenAt"/> because of <see cref="CacheNotes.Cause"/>.</summary>
    public const string Broken = "broken";

    public const string ModelChanged = "model_changed";
    public const string ToolsChanged = "tools_changed";
    public const string SystemChanged = "system_changed";
    public const string MessageEdited = "message_edited";
    public const string HistoryTruncated = "history_truncated";

    /// <summary>The client's bytes were identical but the gateway forwarded different ones. Must never happen.</summary>
    public const string GatewayCaused = "gateway_caused";
}
