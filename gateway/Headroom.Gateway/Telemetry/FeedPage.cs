namespace Headroom.Gateway.Telemetry;

/// <summary>NDJSON lines (each ending in '\n') and the cursor to resume after them.</summary>
internal sealed record FeedPage(IReadOnlyList<byte[]> Lines, long Cursor);
